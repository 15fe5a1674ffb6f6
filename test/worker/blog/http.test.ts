import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers";
import { callWith, chatApi, dress, dressApi, jsonRequest, seedAgents } from "./helpers";
import { uniq } from "../helpers";

const ip = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;

beforeAll(() => seedAgents());

describe("blog rate limits (per client IP, limits from vars)", () => {
  it("answers 429 with Retry-After once a client passes BLOG_RATE_LIMIT; other clients are unaffected", async () => {
    const category = uniq("rl");
    await dressApi.add([dress(`${category}-1`, category)]);
    const client = { headers: { "CF-Connecting-IP": ip() } };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, client)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, client);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json<any>()).type).toBe("/problems/rate-limited");
    expect(
      (await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, { headers: { "CF-Connecting-IP": ip() } })).status,
    ).toBe(200);
  });

  it("routes that spend model tokens have their own, lower limit (BLOG_LLM_RATE_LIMIT)", async () => {
    const host = `${uniq("rl")}.example`;
    await chatApi.rules([{ match: host, json: { tone: "t", summary: "s" } }]);
    const init = () => ({
      ...jsonRequest({ url: host }),
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.7" },
    });
    expect((await callWith({ BLOG_LLM_RATE_LIMIT: "1" }, "/v1/blog/brand-voice", init())).status).toBe(200);
    expect((await callWith({ BLOG_LLM_RATE_LIMIT: "1" }, "/v1/blog/brand-voice", init())).status).toBe(429);
  });
});

describe("blog OpenAPI", () => {
  it("documents every blog route with its problem responses", async () => {
    const doc = await (await api("/openapi.json")).json<any>();
    const paths = Object.keys(doc.paths)
      .filter((p) => p.startsWith("/v1/blog/"))
      .sort();
    expect(paths).toEqual([
      "/v1/blog/admin/agents",
      "/v1/blog/admin/agents/{agentId}",
      "/v1/blog/admin/settings",
      "/v1/blog/admin/settings/{key}",
      "/v1/blog/brand-voice",
      "/v1/blog/dresses",
      "/v1/blog/dresses/{externalId}",
      "/v1/blog/sessions",
      "/v1/blog/sessions/{id}",
      "/v1/blog/sessions/{id}/generate",
    ]);
    const list = doc.paths["/v1/blog/dresses"].get;
    expect(Object.keys(list.responses).sort()).toEqual(["200", "304", "400", "429", "502", "503"]);
    expect(list.responses["200"].headers["X-Cache"]).toBeDefined();
    expect(doc.paths["/v1/blog/sessions/{id}/generate"].post.responses).toHaveProperty("409");
    expect(doc.paths["/v1/blog/admin/settings/{key}"].put.security).toEqual([{ adminToken: [] }]);
  });
});
