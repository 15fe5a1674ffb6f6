/**
 * The Upstash REST stand-in driven by the official @upstash/redis client, each
 * result checked against the real redis-server through the direct RESP pool.
 */
import { createHash } from "node:crypto";
import { Redis } from "@upstash/redis";
import { errors } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import { TOKEN, uniquePrefix, useUpstash } from "./upstash-fixtures.js";

const up = useUpstash();

describe("@upstash/redis through the stand-in (auto-pipelining, base64)", () => {
  it("set/get with ex and px sets the TTL Redis reports", async () => {
    const p = uniquePrefix("ttl");
    expect(await up.redis.set(`${p}ex`, "v1", { ex: 100 })).toBe("OK");
    expect(await up.redis.set(`${p}px`, "v2", { px: 50_000 })).toBe("OK");
    expect(await up.redis.get(`${p}ex`)).toBe("v1");
    expect(await up.fx.raw("GET", `${p}px`)).toBe("v2");
    // a second may pass between SET and TTL on a loaded machine: 99 or 100, never more, never unset (-1)
    expect(await up.fx.raw("TTL", `${p}ex`)).toBeOneOf([99, 100]);
    expect(await up.redis.ttl(`${p}ex`)).toBeOneOf([99, 100]);
    const pttl = await up.redis.pttl(`${p}px`);
    expect(pttl).toBeGreaterThan(49_000);
    expect(pttl).toBeLessThanOrEqual(50_000);
    expect(await up.redis.expire(`${p}px`, 7)).toBe(1);
    expect(await up.fx.raw("TTL", `${p}px`)).toBeOneOf([6, 7]);
    expect(await up.redis.ttl(`${p}missing`)).toBe(-2);
  });

  it("incr, hashes, lists, sets and sorted sets match Redis", async () => {
    const p = uniquePrefix("types");
    expect(await up.redis.incr(`${p}n`)).toBe(1);
    expect(await up.redis.incrby(`${p}n`, 41)).toBe(42);
    expect(await up.fx.raw("GET", `${p}n`)).toBe("42");

    expect(await up.redis.hset(`${p}h`, { name: "ada", age: 36 })).toBe(2);
    expect(await up.redis.hgetall(`${p}h`)).toEqual({ name: "ada", age: 36 });
    expect(await up.fx.raw("HGET", `${p}h`, "age")).toBe("36");

    expect(await up.redis.lpush(`${p}l`, "a", "b", "c")).toBe(3);
    expect(await up.redis.lrange(`${p}l`, 0, -1)).toEqual(["c", "b", "a"]);
    expect(await up.fx.raw("LRANGE", `${p}l`, 0, -1)).toEqual(["c", "b", "a"]);

    expect(await up.redis.sadd(`${p}s`, "x", "y", "x")).toBe(2);
    expect((await up.redis.smembers(`${p}s`)).sort()).toEqual(["x", "y"]);
    expect(await up.redis.sismember(`${p}s`, "y")).toBe(1);

    expect(await up.redis.zadd(`${p}z`, { score: 2, member: "two" }, { score: 1.5, member: "one" })).toBe(2);
    expect(await up.redis.zrange(`${p}z`, 0, -1, { withScores: true })).toEqual(["one", 1.5, "two", 2]);
    expect(await up.redis.zscore(`${p}z`, "one")).toBe(1.5);
    expect(await up.fx.raw("ZSCORE", `${p}z`, "one")).toBe("1.5");
  });

  it("unicode and JSON values round-trip and are stored as UTF-8 / JSON text", async () => {
    const p = uniquePrefix("unicode");
    const text = "héllo 👋🏽 世界 — ok";
    await up.redis.set(`${p}u`, text);
    expect(await up.redis.get(`${p}u`)).toBe(text);
    const stored = (await up.fx.direct.send(["GET", `${p}u`])) as { type: string; value: Buffer };
    expect(stored.value.equals(Buffer.from(text, "utf8"))).toBe(true);

    const obj = { a: 1, nested: { list: [1, "two", null], emoji: "🎉" } };
    await up.redis.set(`${p}o`, obj);
    expect(await up.redis.get(`${p}o`)).toEqual(obj);
    expect(await up.fx.raw("GET", `${p}o`)).toBe(JSON.stringify(obj));
  });

  it("non-UTF-8 bytes written directly come back with U+FFFD replacements", async () => {
    const p = uniquePrefix("bin");
    await up.fx.direct.send(["SET", `${p}b`, Buffer.from([0xff, 0x61, 0xc3, 0x28, 0x00, 0x62])]);
    expect(await up.redis.get(`${p}b`)).toBe("\uFFFDa\uFFFD(\u0000b");
    const plain = new Redis({ url: up.fx.rest.url, token: TOKEN, responseEncoding: false, enableTelemetry: false });
    expect(await plain.get(`${p}b`)).toBe("\uFFFDa\uFFFD(\u0000b");
  });

  it("scan returns the cursor as a string and the matching keys", async () => {
    const p = uniquePrefix("scan");
    await Promise.all(["a", "b", "c"].map((k) => up.redis.set(`${p}${k}`, k)));
    const keys: string[] = [];
    let cursor: string | number = 0;
    do {
      const [next, batch]: [string, string[]] = await up.redis.scan(cursor, { match: `${p}*`, count: 1000 });
      expect(typeof next).toBe("string");
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    expect(keys.sort()).toEqual([`${p}a`, `${p}b`, `${p}c`]);
  });

  it("scan withType (an Upstash extension) is emulated with TYPE per key", async () => {
    const p = uniquePrefix("scantype");
    await up.redis.set(`${p}s`, "v");
    await up.redis.hset(`${p}h`, { f: 1 });
    await up.redis.rpush(`${p}l`, "x");
    const found: { key: string; type: string }[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await up.redis.scan(cursor, { match: `${p}*`, count: 1000, withType: true });
      found.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    expect(found.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: `${p}h`, type: "hash" },
      { key: `${p}l`, type: "list" },
      { key: `${p}s`, type: "string" },
    ]);
  });

  it("pipeline() returns every result and keepErrors keeps per-command errors", async () => {
    const p = uniquePrefix("pipe");
    const out = await up.redis.pipeline().set(`${p}a`, "1").incr(`${p}a`).get(`${p}a`).get(`${p}none`).exec();
    expect(out).toEqual(["OK", 2, 2, null]);

    const p2 = up.redis.pipeline().set(`${p}s`, "text").incr(`${p}s`).set(`${p}t`, "after");
    await expect(p2.exec()).rejects.toThrow("Command 2 [ incr ] failed: ERR value is not an integer or out of range");
    expect(await up.fx.raw("GET", `${p}t`)).toBe("after");
    const kept = await up.redis.pipeline().incr(`${p}s`).get(`${p}t`).exec({ keepErrors: true });
    expect(kept).toEqual([
      { error: "ERR value is not an integer or out of range", result: undefined },
      { error: undefined, result: "after" },
    ]);
  });

  it("multi() runs atomically; a runtime error inside does not stop the other commands", async () => {
    const p = uniquePrefix("multi");
    expect(await up.redis.multi().set(`${p}x`, "1").incr(`${p}x`).exec()).toEqual(["OK", 2]);

    const tx = up.redis.multi().set(`${p}s`, "text").incr(`${p}s`).set(`${p}after`, "yes");
    await expect(tx.exec()).rejects.toThrow("Command 2 [ incr ] failed: ERR value is not an integer or out of range");
    expect(await up.fx.raw("GET", `${p}after`)).toBe("yes");
    const kept = await up.redis.multi().incr(`${p}s`).get(`${p}after`).exec({ keepErrors: true });
    expect(kept).toEqual([
      { error: "ERR value is not an integer or out of range", result: undefined },
      { error: undefined, result: "yes" },
    ]);
  });

  it("auto-pipelining batches a tick's commands into one request (reads and writes apart); off sends one each", async () => {
    const p = uniquePrefix("auto");
    up.fx.rest.stats.reset();
    expect(await Promise.all([up.redis.set(`${p}a`, "1"), up.redis.set(`${p}b`, "2"), up.redis.incr(`${p}c`)])).toEqual(["OK", "OK", 1]);
    expect(up.fx.rest.stats).toMatchObject({ requests: 1, commands: 3 });

    up.fx.rest.stats.reset();
    expect(await Promise.all([up.redis.get(`${p}a`), up.redis.get(`${p}b`), up.redis.set(`${p}d`, "4")])).toEqual([1, 2, "OK"]);
    expect(up.fx.rest.stats).toMatchObject({ requests: 2, commands: 3 });

    const single = new Redis({ url: up.fx.rest.url, token: TOKEN, enableAutoPipelining: false, enableTelemetry: false });
    up.fx.rest.stats.reset();
    expect(await Promise.all([single.get(`${p}a`), single.get(`${p}b`), single.get(`${p}c`)])).toEqual([1, 2, 1]);
    expect(up.fx.rest.stats).toMatchObject({ requests: 3, commands: 3 });
  });

  it("responseEncoding: false gives the same results as base64", async () => {
    const p = uniquePrefix("enc");
    const plain = new Redis({ url: up.fx.rest.url, token: TOKEN, responseEncoding: false, enableTelemetry: false });
    await plain.set(`${p}k`, "ünïcödé 🚀");
    await plain.hset(`${p}h`, { f: "OK", g: "PONG" });
    expect(await plain.get(`${p}k`)).toBe("ünïcödé 🚀");
    expect(await up.redis.get(`${p}k`)).toBe("ünïcödé 🚀");
    expect(await plain.hgetall(`${p}h`)).toEqual({ f: "OK", g: "PONG" });
    expect(await up.redis.hgetall(`${p}h`)).toEqual({ f: "OK", g: "PONG" });
    expect(await plain.ping()).toBe("PONG");
    expect(await up.redis.ping()).toBe("PONG");
  });

  it("createScript falls back from EVALSHA to EVAL once, then EVALSHA hits", async () => {
    const p = uniquePrefix("script");
    const script = up.redis.createScript<string>(`return ARGV[1] .. "|" .. KEYS[1] -- ${p}`);
    up.fx.rest.stats.reset();
    expect(await script.exec([`${p}k`], ["hi"])).toBe(`hi|${p}k`);
    expect(up.fx.rest.stats.requests).toBe(2);
    up.fx.rest.stats.reset();
    expect(await script.exec([`${p}k`], ["again"])).toBe(`again|${p}k`);
    expect(up.fx.rest.stats.requests).toBe(1);
  });

  it("a #!lua flags=allow-key-locking script runs on Redis 7.0 and EVALSHA of the original text hits", async () => {
    const p = uniquePrefix("shebang");
    const text = `#!lua flags=allow-key-locking,no-writes\nreturn {redis.call("GET", KEYS[1]), ARGV[1]} -- ${p}`;
    const originalSha = createHash("sha1").update(text).digest("hex");
    await up.redis.set(`${p}k`, "stored");
    const script = up.redis.createScript<[string, string]>(text);
    up.fx.rest.stats.reset();
    expect(await script.exec([`${p}k`], ["arg"])).toEqual(["stored", "arg"]);
    expect(await script.exec([`${p}k`], ["arg2"])).toEqual(["stored", "arg2"]);
    expect(up.fx.rest.stats.requests).toBe(3);
    expect(await up.redis.evalsha(originalSha, [`${p}k`], ["x"])).toEqual(["stored", "x"]);
    // Redis holds only the rewritten script (known flags kept), never the original text.
    const storedSha = createHash("sha1")
      .update(`#!lua flags=no-writes\nreturn {redis.call("GET", KEYS[1]), ARGV[1]} -- ${p}`)
      .digest("hex");
    expect(await up.fx.raw("SCRIPT", "EXISTS", originalSha, storedSha)).toEqual([0, 1]);
    expect(await up.redis.scriptExists(originalSha)).toEqual([1]);
  });

  it("SCRIPT LOAD of a shebang script returns the sha1 of the original text", async () => {
    const p = uniquePrefix("load");
    const text = `#!lua flags=allow-key-locking\nreturn 7 -- ${p}`;
    const sha = await up.redis.scriptLoad(text);
    expect(sha).toBe(createHash("sha1").update(text).digest("hex"));
    expect(await up.redis.evalsha(sha, [], [])).toBe(7);
  });

  it("a wrong token fails with UpstashError 'Unauthorized'", async () => {
    const bad = new Redis({ url: up.fx.rest.url, token: "wrong", enableTelemetry: false });
    const err = await bad.get("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.UpstashError);
    expect(err).not.toBeInstanceOf(errors.UpstashJSONParseError);
    expect((err as Error).message).toBe('Unauthorized, command was: [["get","x"]]');
  });
});
