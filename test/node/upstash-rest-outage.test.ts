/**
 * Redis going away and coming back: the stand-in answers a quick JSON 500 (so the
 * client throws UpstashError instead of hanging or retrying) and recovers by itself.
 */
import { errors, Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisHandle, startRedis } from "../local/redis.js";
import { RespConnection, RespConnectionError, RespPool } from "../local/resp.js";
import { startUpstashRest, type UpstashRestHandle } from "../local/upstash-rest.js";
import { post, TOKEN } from "./upstash-fixtures.js";

let server: RedisHandle;
let rest: UpstashRestHandle;

beforeAll(async () => {
  server = await startRedis();
  rest = await startUpstashRest({ redisPort: server.port, token: TOKEN });
});
afterAll(async () => {
  await rest?.close();
  await server?.stop();
});

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await p;
  return [v, performance.now() - t0];
}

describe("redis-server stopped and restarted on the same port", () => {
  it("client calls fail fast with UpstashError, then work again after resume()", async () => {
    const redis = new Redis({ url: rest.url, token: TOKEN, enableTelemetry: false });
    expect(await redis.set("k", "before")).toBe("OK");
    expect(await redis.get("k")).toBe("before");

    await server.pause();
    const [err, ms] = await timed(redis.get("k").catch((e: unknown) => e));
    expect(err).toBeInstanceOf(errors.UpstashError);
    expect(err).not.toBeInstanceOf(errors.UpstashJSONParseError);
    expect((err as Error).message).toBe(
      `ERR unable to connect to redis at 127.0.0.1:${server.port}: ECONNREFUSED, command was: [["get","k"]]`,
    );
    expect(ms).toBeLessThan(3000); // a hang guard, not a speed check: the client would retry for ~16 s

    const res = await post(rest, "/", ["ping"]);
    expect([res.status, res.headers.get("content-type")]).toEqual([500, "application/json"]);
    expect(((await res.json()) as { error: string }).error).toContain("unable to connect");

    await server.resume();
    expect(await redis.get("k")).toBeNull();
    expect(await redis.set("k", "after")).toBe("OK");
    expect(await redis.get("k")).toBe("after");
  });

  it("a command in flight when Redis dies fails with a JSON 500, not a hang", async () => {
    // @upstash/redis has no BLPOP; a blocking command is the simplest way to die mid-command.
    const blocked = timed(post(rest, "/", ["blpop", "nothing-here", 10]).then(async (r) => [r.status, await r.text()]));
    await new Promise((r) => setTimeout(r, 100));
    await server.pause();
    const [answer, ms] = await blocked;
    expect(answer).toEqual([500, '{"error":"ERR connection to redis lost: redis connection closed"}']);
    expect(ms).toBeLessThan(8000); // BLPOP would block for 10 s: anything less is no hang
    await server.resume();
    const redis = new Redis({ url: rest.url, token: TOKEN, enableTelemetry: false });
    expect(await redis.ping()).toBe("PONG");
  });
});

describe("resp.ts connection failures", () => {
  it("ECONNREFUSED rejects at once, from a connection and from the pool", async () => {
    await server.pause();
    try {
      const [err, ms] = await timed(RespConnection.open({ port: server.port }).catch((e: unknown) => e));
      expect(err).toBeInstanceOf(RespConnectionError);
      expect((err as RespConnectionError).code).toBe("ECONNREFUSED");
      expect(ms).toBeLessThan(3000); // a hang guard, not a speed check
      const pool = new RespPool({ port: server.port });
      await expect(pool.send(["PING"])).rejects.toThrow(RespConnectionError);
      await expect(pool.send(["PING"])).rejects.toThrow(RespConnectionError);
      pool.close();
    } finally {
      await server.resume();
    }
  });

  it("a socket killed by the server is dropped from the pool and its pending command rejects", async () => {
    const pool = new RespPool({ port: server.port, max: 1 });
    const admin = await RespConnection.open({ port: server.port });
    try {
      const id1 = await pool.send(["CLIENT", "ID"]);
      expect(id1.type).toBe("int");
      const conn = await pool.acquire();
      const pending = conn.send(["BLPOP", "never", "5"]).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      expect(await admin.send(["CLIENT", "KILL", "ID", String((id1 as { value: number }).value)])).toEqual({
        type: "int",
        value: 1,
        text: "1",
      });
      expect(await pending).toBeInstanceOf(RespConnectionError);
      expect(conn.broken).toBe(true);
      pool.release(conn);
      const id2 = await pool.send(["CLIENT", "ID"]);
      expect(id2.type).toBe("int");
      expect((id2 as { value: number }).value).not.toBe((id1 as { value: number }).value);
    } finally {
      admin.close();
      pool.close();
    }
  });
});
