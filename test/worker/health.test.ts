import { afterAll, describe, expect, it } from "vitest";
import { api, control, countRoundTrips } from "./helpers";

describe("GET /health", () => {
  afterAll(async () => {
    await control("/redis/start");
  });

  it("reports both dependencies up with their round-trip times", async () => {
    const { result: res, trips } = await countRoundTrips(() => api("/health"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
    const body = await res.json<any>();
    expect(body.status).toBe("pass");
    expect(body.checks.postgres.status).toBe("up");
    expect(body.checks.postgres.latencyMs).toBeTypeOf("number");
    expect(body.checks.redis.status).toBe("up");
    expect(body.checks.redis.latencyMs).toBeTypeOf("number");
    expect(trips.postgres).toBe(1);
  });

  it("answers 503 and names Redis when Redis is down, then recovers", async () => {
    await control("/redis/stop");
    const down = await api("/health");
    expect(down.status).toBe(503);
    const body = await down.json<any>();
    expect(body.status).toBe("fail");
    expect(body.checks.redis.status).toBe("down");
    expect(body.checks.postgres.status).toBe("up");

    await control("/redis/start");
    const up = await api("/health");
    expect(up.status).toBe(200);
    expect((await up.json<any>()).checks.redis.status).toBe("up");
  });

  it("keeps the caller's request id when it is well-formed", async () => {
    const res = await api("/health", { headers: { "X-Request-Id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
  });
});
