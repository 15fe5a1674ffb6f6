import { createRoute, z } from "@hono/zod-openapi";
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp, createRouter } from "../../src/app";
import { api } from "./helpers";

// A tiny module mounted only in this test, so the platform's validation and error paths
// can be exercised before any real module exists.
const echo = createRouter();
echo.openapi(
  createRoute({
    method: "post",
    path: "/things",
    request: {
      body: {
        content: { "application/json": { schema: z.object({ name: z.string().min(1), size: z.number().int().max(10) }) } },
        required: true,
      },
    },
    responses: { 201: { description: "created", content: { "application/json": { schema: z.object({ name: z.string() }) } } } },
  }),
  (c) => c.json({ name: c.req.valid("json").name }, 201),
);
echo.get("/boom", () => {
  throw new Error("secret internals: SELECT * FROM users");
});
const app = createApp([{ name: "echo", router: echo }]);
const call = (path: string, init?: RequestInit) => app.fetch(new Request(`http://api.test${path}`, init), env, createExecutionContext());

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return res.json<any>();
}

describe("problem+json", () => {
  it("answers an unknown route with 404", async () => {
    const res = await api("/nope");
    expect(res.status).toBe(404);
    const body = await problem(res);
    expect(body).toMatchObject({ status: 404, title: "Not Found", instance: "/nope" });
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a body over the limit with 413, with or without Content-Length", async () => {
    const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), size: 1 });
    const res = await call("/v1/echo/things", { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(res.status).toBe(413);
    expect((await problem(res)).type).toBe("/problems/payload-too-large");

    const stream = new Blob([big]).stream();
    const chunked = await call("/v1/echo/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("answers invalid JSON with 400", async () => {
    const res = await call("/v1/echo/things", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.status).toBe(400);
    expect(body.detail).toMatch(/json/i);
  });

  it("answers a schema violation with 400 naming each field", async () => {
    const res = await call("/v1/echo/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "", size: 11 }),
    });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.type).toBe("/problems/validation-error");
    expect(body.errors.map((e: any) => e.path).sort()).toEqual(["body.name", "body.size"]);
  });

  it("accepts a valid body", async () => {
    const res = await call("/v1/echo/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a", size: 3 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: "a" });
  });

  it("answers an unexpected error with 500 and never leaks its message or stack", async () => {
    const res = await call("/v1/echo/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(text).not.toContain("SELECT");
    expect(text).not.toMatch(/at .*\.ts/);
    expect(JSON.parse(text).type).toBe("/problems/internal-error");
    expect(res.headers.get("x-request-id")).toBe(JSON.parse(text).requestId);
  });
});

describe("OpenAPI and docs", () => {
  it("serves an OpenAPI 3.1 document listing /health", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<any>();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/health"].get.responses).toHaveProperty("503");
  });

  it("serves an HTML reference page that loads the document", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });
});
