/**
 * Exact wire shapes of protocols.md B.12 (U1–U17): what the official client sends
 * and what the stand-in answers, byte for byte. A private redis-server keeps the
 * keyspace and the script cache empty, so SCAN and NOSCRIPT results are exact.
 */
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { errors, Redis } from "@upstash/redis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RedisHandle, startRedis } from "../local/redis.js";
import { type Exchange, recordFetch, TOKEN, type UpstashFixture, upstashFixture } from "./upstash-fixtures.js";

const NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
let server: RedisHandle;
let fx: UpstashFixture;
let rec: { exchanges: Exchange[]; restore(): void };
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  fx = await upstashFixture(server.port);
});
afterAll(async () => {
  await fx?.close();
  await server?.stop();
});
beforeEach(async () => {
  await fx.raw("FLUSHALL");
  await fx.raw("SCRIPT", "FLUSH");
  redis = new Redis({ url: fx.rest.url, token: TOKEN });
  rec = recordFetch(fx.rest.url);
});
afterEach(() => rec.restore());

/** [path, body, status, response] of every recorded exchange. */
const wire = () => rec.exchanges.map((e) => [e.path, e.body, e.status, e.response]);

describe("B.12 conformance table", () => {
  it("U1/U2/U3: set, get and a missing key as single-command pipelines with the documented headers", async () => {
    expect(await redis.set("k", "v")).toBe("OK");
    expect(await redis.get("k")).toBe("v");
    expect(await redis.get("missing")).toBeNull();
    expect(wire()).toEqual([
      ["/pipeline", [["set", "k", "v"]], 200, '[{"result":"OK"}]'],
      ["/pipeline", [["get", "k"]], 200, '[{"result":"dg=="}]'],
      ["/pipeline", [["get", "missing"]], 200, '[{"result":null}]'],
    ]);
    const h = rec.exchanges[0]!.headers;
    expect(rec.exchanges[0]!.method).toBe("POST");
    expect(h.authorization).toBe(`Bearer ${TOKEN}`);
    expect(h["upstash-encoding"]).toBe("base64");
    expect(h["content-type"]).toBe("application/json");
    expect(h["upstash-sync-token"]).toBe("");
    expect(rec.exchanges[1]!.headers["upstash-sync-token"]).not.toBe("");
  });

  it("U4/U5: JSON objects are stored as text and parsed back; incr is a JSON number", async () => {
    expect(await redis.set("o", { a: 1 })).toBe("OK");
    expect(await redis.get("o")).toEqual({ a: 1 });
    expect(await redis.incr("n")).toBe(1);
    expect(wire()).toEqual([
      ["/pipeline", [["set", "o", '{"a":1}']], 200, '[{"result":"OK"}]'],
      ["/pipeline", [["get", "o"]], 200, '[{"result":"eyJhIjoxfQ=="}]'],
      ["/pipeline", [["incr", "n"]], 200, '[{"result":1}]'],
    ]);
  });

  it("U6/U7: one tick's writes share one pipeline; PONG is base64-encoded", async () => {
    expect(await Promise.all([redis.set("a", "1"), redis.set("b", "2")])).toEqual(["OK", "OK"]);
    expect(await redis.ping()).toBe("PONG");
    expect(wire()).toEqual([
      [
        "/pipeline",
        [
          ["set", "a", "1"],
          ["set", "b", "2"],
        ],
        200,
        '[{"result":"OK"},{"result":"OK"}]',
      ],
      ["/pipeline", [["ping"]], 200, '[{"result":"UE9ORw=="}]'],
    ]);
  });

  it("U8/U9: hgetall and scan go to POST / with nested strings encoded", async () => {
    await fx.raw("HSET", "h", "f", "1");
    expect(await redis.hgetall("h")).toEqual({ f: 1 });
    await fx.raw("DEL", "h");
    await fx.raw("SET", "k", "v");
    expect(await redis.scan(0)).toEqual(["0", ["k"]]);
    expect(wire()).toEqual([
      ["/", ["hgetall", "h"], 200, '{"result":["Zg==","MQ=="]}'],
      ["/", ["scan", 0], 200, '{"result":["MA==",["aw=="]]}'],
    ]);
  });

  it("U10: a command error on POST / is a 400 and an UpstashError naming the command", async () => {
    await fx.raw("SET", "k", "text");
    const single = new Redis({ url: fx.rest.url, token: TOKEN, enableAutoPipelining: false });
    const err = await single.incr("k").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.UpstashError);
    expect((err as Error).message).toBe('ERR value is not an integer or out of range, command was: ["incr","k"]');
    expect(wire()).toEqual([["/", ["incr", "k"], 400, '{"error":"ERR value is not an integer or out of range"}']]);
  });

  it("U11: a pipeline error is an item {error}; exec throws, keepErrors keeps it", async () => {
    await expect(redis.pipeline().set("a", "1").evalsha("bad", [], []).exec()).rejects.toThrow(`Command 2 [ evalsha ] failed: ${NOSCRIPT}`);
    expect(await redis.pipeline().set("a", "1").evalsha("bad", [], []).exec({ keepErrors: true })).toEqual([
      { result: "OK", error: undefined },
      { error: NOSCRIPT, result: undefined },
    ]);
    const expected = [
      "/pipeline",
      [
        ["set", "a", "1"],
        ["evalsha", "bad", 0],
      ],
      200,
      `[{"result":"OK"},{"error":"${NOSCRIPT}"}]`,
    ];
    expect(wire()).toEqual([expected, expected]);
  });

  it("U12: multi() goes to /multi-exec", async () => {
    expect(await redis.multi().set("x", "1").incr("x").exec()).toEqual(["OK", 2]);
    expect(wire()).toEqual([
      [
        "/multi-exec",
        [
          ["set", "x", "1"],
          ["incr", "x"],
        ],
        200,
        '[{"result":"OK"},{"result":2}]',
      ],
    ]);
  });

  it('U13: a wrong token is a 401 {"error":"Unauthorized"} and an UpstashError', async () => {
    const bad = new Redis({ url: fx.rest.url, token: "nope" });
    await expect(bad.set("k", "v")).rejects.toThrow(errors.UpstashError);
    expect(wire()).toEqual([["/pipeline", [["set", "k", "v"]], 401, '{"error":"Unauthorized"}']]);
    expect(await fx.raw("EXISTS", "k")).toBe(0);
  });

  it("U14: createScript sends EVALSHA, gets NOSCRIPT, then EVAL", async () => {
    const sha = createHash("sha1").update("return ARGV[1]").digest("hex");
    expect(await redis.createScript("return ARGV[1]").exec([], ["hi"])).toBe("hi");
    expect(wire()).toEqual([
      ["/pipeline", [["evalsha", sha, 0, "hi"]], 200, `[{"error":"${NOSCRIPT}"}]`],
      ["/pipeline", [["eval", "return ARGV[1]", 0, "hi"]], 200, '[{"result":"aGk="}]'],
    ]);
  });

  it("U15: Ratelimit.fixedWindow sends EVALSHA of the original script, EVAL once, then EVALSHA hits", async () => {
    const rl = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(10, "10 s"), ephemeralCache: false });
    // both calls in one 10 s window (the limiter keys its counter by the window): start early in one
    while (Date.now() % 10_000 > 7_000) await new Promise((r) => setTimeout(r, 100));
    const first = await rl.limit("id");
    expect(first).toMatchObject({ success: true, remaining: 9, limit: 10 });
    expect((await rl.limit("id")).remaining).toBe(8);
    const [evalsha, evalCmd, again] = rec.exchanges;
    expect(rec.exchanges).toHaveLength(3);
    const bucket = Math.floor(Date.now() / 10_000);
    // ratelimit 2.2.0 passes the dynamic-limit key only when dynamicLimits is on (protocols.md shows 2 keys).
    const [name, sha, numkeys, key, ...args] = (evalsha!.body as unknown[][])[0]!;
    expect([name, numkeys, args]).toEqual(["evalsha", 1, [10, 10000, 1]]);
    expect([`@upstash/ratelimit:id:${bucket}`, `@upstash/ratelimit:id:${bucket - 1}`]).toContain(key);
    expect(evalsha!.response).toBe(`[{"error":"${NOSCRIPT}"}]`);
    const script = (evalCmd!.body as unknown[][])[0]![1] as string;
    expect(script.startsWith("#!lua flags=allow-key-locking\n")).toBe(true);
    expect(createHash("sha1").update(script).digest("hex")).toBe(sha);
    expect(evalCmd!.response).toBe('[{"result":[1,10]}]');
    expect((again!.body as unknown[][])[0]![1]).toBe(sha);
    expect(again!.response).toBe('[{"result":[2,10]}]');
  });

  it("U16: non-UTF-8 bytes travel as base64 of the raw bytes and decode with U+FFFD", async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41, 0x80]);
    await fx.direct.send(["SET", "bin", bytes]);
    expect(await redis.get("bin")).toBe("\uFFFD\uFFFDA\uFFFD");
    expect(wire()).toEqual([["/pipeline", [["get", "bin"]], 200, `[{"result":"${bytes.toString("base64")}"}]`]]);
  });

  it("U17: every error the stand-in produces is JSON, so the client never sees UpstashJSONParseError", async () => {
    rec.restore();
    const bodies = await Promise.all(
      [
        fetch(`${fx.rest.url}/`, { method: "DELETE" }),
        fetch(`${fx.rest.url}/pipeline/extra`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } }),
        fetch(`${fx.rest.url}/`, { method: "POST", body: "[]" }),
        fetch(`${fx.rest.url}/`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: "{nope" }),
      ].map(async (p) => {
        const res = await p;
        return [res.status, res.headers.get("content-type"), await res.json()];
      }),
    );
    expect(bodies).toEqual([
      [405, "application/json", { error: "ERR method not allowed" }],
      [404, "application/json", { error: "ERR unknown endpoint /pipeline/extra" }],
      [401, "application/json", { error: "Unauthorized" }],
      [400, "application/json", { error: "ERR failed to parse request body as JSON" }],
    ]);
  });
});
