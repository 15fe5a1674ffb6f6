/**
 * protocols.md B.11 edge cases checked with plain fetch, where the official
 * client would hide the exact wire shape.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startUpstashRest } from "../local/upstash-rest.js";
import { post, TOKEN, type UpstashFixture, upstashFixture, uniquePrefix } from "./upstash-fixtures.js";

let fx: UpstashFixture;
beforeAll(async () => {
  fx = await upstashFixture(inject("redisPort"));
});
afterAll(async () => {
  await fx?.close();
});

const plain = { "Upstash-Encoding": "" };
async function call(path: string, body: unknown, headers: Record<string, string> = {}): Promise<[number, string]> {
  const res = await post(fx.rest, path, body, headers);
  return [res.status, await res.text()];
}

describe("encoding", () => {
  it("base64 encodes every string at every depth, except a top-level simple OK", async () => {
    const p = uniquePrefix("b64");
    const cmds = [
      ["set", `${p}k`, "OK"],
      ["get", `${p}k`],
      ["rpush", `${p}l`, "PONG", "OK"],
      ["lrange", `${p}l`, 0, -1],
      ["type", `${p}k`],
      ["ping"],
      ["incr", `${p}n`],
      ["get", `${p}none`],
      ["eval", "return {redis.status_reply('OK'), {1, 'x', false}}", 0],
    ];
    expect(await call("/pipeline", cmds)).toEqual([
      200,
      JSON.stringify([
        { result: "OK" },
        { result: "T0s=" },
        { result: 2 },
        { result: ["UE9ORw==", "T0s="] },
        { result: "c3RyaW5n" },
        { result: "UE9ORw==" },
        { result: 1 },
        { result: null },
        { result: ["T0s=", [1, "eA==", null]] },
      ]),
    ]);
    expect(await call("/pipeline", cmds.slice(1), plain)).toEqual([
      200,
      JSON.stringify([
        { result: "OK" },
        { result: 4 },
        { result: ["PONG", "OK", "PONG", "OK"] },
        { result: "string" },
        { result: "PONG" },
        { result: 2 },
        { result: null },
        { result: ["OK", [1, "x", null]] },
      ]),
    ]);
  });

  it("without base64, invalid UTF-8 becomes U+FFFD; with base64 the bytes are exact", async () => {
    const p = uniquePrefix("utf8");
    await fx.direct.send(["SET", `${p}b`, Buffer.from([0x61, 0xff, 0x62, 0xe2, 0x82])]);
    const [, text] = await call("/", ["get", `${p}b`], plain);
    expect(JSON.parse(text)).toEqual({ result: "a\uFFFDb\uFFFD" });
    expect(await call("/", ["get", `${p}b`])).toEqual([200, '{"result":"Yf9i4oI="}']);
  });

  it("integers keep Redis's digits beyond 2^53", async () => {
    const p = uniquePrefix("bigint");
    await fx.raw("SET", `${p}n`, "9007199254740994");
    expect(await call("/", ["incr", `${p}n`])).toEqual([200, '{"result":9007199254740995}']);
  });
});

describe("arguments and command names", () => {
  it("JSON numbers and booleans become bulk strings; names are case-insensitive", async () => {
    const p = uniquePrefix("args");
    expect(
      await call(
        "/pipeline",
        [
          ["SeT", `${p}f`, 12.5],
          ["Set", `${p}t`, true],
          ["set", `${p}big`, 1e21],
          ["EXPIRE", `${p}f`, 100],
          ["incrbyfloat", `${p}f`, 0.25],
          ["GET", `${p}t`],
        ],
        plain,
      ),
    ).toEqual([
      200,
      JSON.stringify([{ result: "OK" }, { result: "OK" }, { result: "OK" }, { result: 1 }, { result: "12.75" }, { result: "true" }]),
    ]);
    expect(await fx.raw("GET", `${p}big`)).toBe("1e+21");
    expect(await fx.raw("TTL", `${p}f`)).toBe(100);
  });

  it("empty strings are valid fields, members and script keys", async () => {
    const p = uniquePrefix("empty");
    expect(
      await call(
        "/pipeline",
        [
          ["hset", `${p}h`, "", ""],
          ["hget", `${p}h`, ""],
          ["eval", "return KEYS[1] .. '|' .. ARGV[1]", 1, "", ""],
        ],
        plain,
      ),
    ).toEqual([200, '[{"result":1},{"result":""},{"result":"|"}]']);
  });

  it("rejects bodies that are not command arrays", async () => {
    const bad = (msg: string) => [400, JSON.stringify({ error: msg })];
    const arg = (v: string) => `ERR invalid command argument ${v}: expected a string, number or boolean`;
    expect(await call("/", {})).toEqual(bad("ERR invalid command: expected a non-empty JSON array"));
    expect(await call("/", [])).toEqual(bad("ERR invalid command: expected a non-empty JSON array"));
    expect(await call("/", ["get", null])).toEqual(bad(arg("null")));
    expect(await call("/", [["get", "k"]])).toEqual(bad(arg('["get","k"]')));
    expect(await call("/pipeline", [])).toEqual(bad("ERR empty pipeline request"));
    expect(await call("/pipeline", ["get", "k"])).toEqual(bad("ERR invalid command: expected a non-empty JSON array"));
    expect(await call("/multi-exec", { a: 1 })).toEqual(bad("ERR invalid request: expected a JSON array of commands"));
  });
});

describe("transactions and isolation", () => {
  it("a queue-time error aborts the whole /multi-exec with one 400 {error}", async () => {
    const p = uniquePrefix("execabort");
    expect(await call("/multi-exec", [["set", `${p}a`, "1"], ["get"], ["set", `${p}b`, "2"]])).toEqual([
      400,
      '{"error":"EXECABORT Transaction discarded because of previous errors."}',
    ]);
    expect(await fx.raw("EXISTS", `${p}a`, `${p}b`)).toBe(0);
  });

  it("connection-state commands are refused and nothing leaks into the next request", async () => {
    const p = uniquePrefix("state");
    const refused = (name: string) => `ERR Command is not allowed by the REST stand-in: ${name} (use /multi-exec for transactions)`;
    expect(
      await call(
        "/pipeline",
        [
          ["select", 1],
          ["set", `${p}k`, "db0"],
          ["watch", `${p}k`],
        ],
        plain,
      ),
    ).toEqual([200, JSON.stringify([{ error: refused("select") }, { result: "OK" }, { error: refused("watch") }])]);
    expect(await call("/", ["multi"])).toEqual([400, JSON.stringify({ error: refused("multi") })]);
    expect(await call("/multi-exec", [["set", `${p}k`, "x"], ["exec"]])).toEqual([400, JSON.stringify({ error: refused("exec") })]);
    expect(await fx.raw("GET", `${p}k`)).toBe("db0");

    expect(await call("/", ["client", "setname", `${p}conn`.replace(/:/g, "_")])).toEqual([200, '{"result":"OK"}']);
    for (let i = 0; i < 3; i++) expect(await call("/", ["client", "getname"])).toEqual([200, '{"result":null}']);
  });
});

describe("scripts", () => {
  it("EVAL of a shebang script works, EVALSHA uses the original hash, Lua errors name it", async () => {
    const p = uniquePrefix("lua");
    const text = `#!lua flags=allow-key-locking\nreturn redis.call("INCR", KEYS[1]) -- ${p}`;
    const sha = createHash("sha1").update(text).digest("hex");
    expect(await call("/pipeline", [["evalsha", sha, 1, `${p}n`]], plain)).toEqual([
      200,
      '[{"error":"NOSCRIPT No matching script. Please use EVAL."}]',
    ]);
    expect(await call("/", ["eval", text, 1, `${p}n`])).toEqual([200, '{"result":1}']);
    expect(await call("/", ["EVALSHA", sha.toUpperCase(), 1, `${p}n`])).toEqual([200, '{"result":2}']);
    await fx.raw("SET", `${p}s`, "text");
    expect(await call("/", ["evalsha", sha, 1, `${p}s`])).toEqual([
      400,
      JSON.stringify({
        error: `ERR value is not an integer or out of range script: ${sha}, on @user_script:2.`,
      }),
    ]);
  });
});

describe("HTTP surface", () => {
  it("auth: Bearer header or _token query; anything else is 401 Unauthorized", async () => {
    const get = (q: string, headers: Record<string, string> = {}) =>
      fetch(`${fx.rest.url}/ping${q}`, { headers }).then(async (r) => [r.status, await r.text()]);
    const unauthorized = [401, '{"error":"Unauthorized"}'];
    expect(await get(`?_token=${TOKEN}`)).toEqual([200, '{"result":"PONG"}']);
    expect(await get("", { authorization: `bearer ${TOKEN}` })).toEqual([200, '{"result":"PONG"}']);
    expect(await get("")).toEqual(unauthorized);
    expect(await get("?_token=nope")).toEqual(unauthorized);
    expect(await get("", { authorization: "Bearer nope" })).toEqual(unauthorized);
    expect(await get("", { authorization: TOKEN })).toEqual(unauthorized);
  });

  it("path-style commands with GET, HEAD, PUT and POST (body appended as the last argument)", async () => {
    const p = encodeURIComponent(uniquePrefix("path"));
    const auth = { authorization: `Bearer ${TOKEN}` };
    const req = (method: string, path: string, body?: string) =>
      fetch(fx.rest.url + path, { method, headers: auth, body }).then(async (r) => [r.status, await r.text()]);
    expect(await req("GET", `/set/${p}a/hello%20world%2Fx?EX=100`)).toEqual([200, '{"result":"OK"}']);
    expect(await req("GET", `/get/${p}a`)).toEqual([200, '{"result":"hello world/x"}']);
    expect(await req("GET", `/ttl/${p}a`)).toEqual([200, '{"result":100}']);
    expect(await req("POST", `/set/${p}b?NX`, "raw body ✓")).toEqual([200, '{"result":"OK"}']);
    expect(await req("PUT", `/set/${p}b?NX`, "second")).toEqual([200, '{"result":null}']);
    expect(await req("GET", `/get/${p}b`)).toEqual([200, '{"result":"raw body ✓"}']);
    expect(await req("HEAD", `/get/${p}b`)).toEqual([200, ""]);
    expect(await req("GET", "/nosuchcommand/x")).toEqual([
      400,
      JSON.stringify({
        error: "ERR unknown command 'nosuchcommand', with args beginning with: 'x' ",
      }),
    ]);
  });

  it("405 for other methods, 404 for endpoints the stand-in does not serve", async () => {
    for (const method of ["DELETE", "PATCH", "OPTIONS"]) {
      const res = await fetch(fx.rest.url, { method });
      expect([res.status, res.headers.get("allow"), await res.text()]).toEqual([
        405,
        "GET, HEAD, POST, PUT",
        '{"error":"ERR method not allowed"}',
      ]);
    }
    expect(await call("/subscribe/chan", [])).toEqual([
      404,
      JSON.stringify({
        error: "ERR /subscribe (server-sent events) is not supported by the REST stand-in",
      }),
    ]);
    expect(await call("/multi-exec/x", [])).toEqual([404, '{"error":"ERR unknown endpoint /multi-exec/x"}']);
  });

  it("Upstash-Response-Format: json default, resp2 raw, anything else 400", async () => {
    const p = uniquePrefix("fmt");
    expect(await call("/", ["set", `${p}k`, "v"], { "Upstash-Response-Format": "json" })).toEqual([200, '{"result":"OK"}']);
    const res = await post(fx.rest, "/pipeline", [["get", `${p}k`], ["incr", `${p}k`], ["ping"]], {
      ...plain,
      "Upstash-Response-Format": "resp2",
    });
    expect([res.status, res.headers.get("content-type"), await res.text()]).toEqual([
      200,
      "application/octet-stream",
      "$1\r\nv\r\n-ERR value is not an integer or out of range\r\n+PONG\r\n",
    ]);
    expect(await call("/", ["get", `${p}k`], { "Upstash-Response-Format": "xml" })).toEqual([
      400,
      '{"error":"ERR invalid Upstash-Response-Format: xml (expected json or resp2)"}',
    ]);
    expect((await call("/", ["get", `${p}k`], { "Upstash-Response-Format": "resp2" }))[0]).toBe(400);
    expect((await call("/multi-exec", [["ping"]], { ...plain, "Upstash-Response-Format": "resp2" }))[0]).toBe(400);
  });

  it("upstash-sync-token: accepted empty, answered, and changes after each request", async () => {
    const a = await post(fx.rest, "/", ["ping"], { "upstash-sync-token": "" });
    const b = await post(fx.rest, "/", ["ping"], { "upstash-sync-token": a.headers.get("upstash-sync-token")! });
    expect(a.status).toBe(200);
    expect(Number(b.headers.get("upstash-sync-token"))).toBeGreaterThan(Number(a.headers.get("upstash-sync-token")));
  });

  it("bodies over maxRequestBytes are refused with ERR max request size exceeded", async () => {
    const p = uniquePrefix("size");
    const small = await startUpstashRest({ redisPort: inject("redisPort"), token: TOKEN, maxRequestBytes: 1024 });
    try {
      const over = await post(small, "/", ["set", `${p}k`, "x".repeat(1100)]);
      expect([over.status, await over.text()]).toEqual([400, '{"error":"ERR max request size exceeded"}']);
      const under = await post(small, "/", ["set", `${p}k`, "x".repeat(900)]);
      expect(under.status).toBe(200);
      // Chunked upload: no Content-Length, so the limit must hold while streaming.
      const body = JSON.stringify(["set", `${p}chunked`, "y".repeat(2000)]);
      const chunked = await fetch(`${small.url}/`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < body.length; i += 256) c.enqueue(new TextEncoder().encode(body.slice(i, i + 256)));
            c.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
      expect([chunked.status, await chunked.text()]).toEqual([400, '{"error":"ERR max request size exceeded"}']);
    } finally {
      await small.close();
    }
    const big = await post(fx.rest, "/", ["set", `${p}big`, "x".repeat(1024 * 1024)]);
    expect([big.status, await big.text()]).toEqual([400, '{"error":"ERR max request size exceeded"}']);
    expect(await fx.raw("EXISTS", `${p}big`)).toBe(0);
  });
});
