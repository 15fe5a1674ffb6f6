/**
 * The RESP2 client under the stand-in: parsing split across arbitrary chunk
 * boundaries, byte-exact bulk strings, and pipelining on one socket.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encodeCommand, encodeReply, type Reply, ReplyParser, RespConnection } from "../local/resp.js";
import { uniquePrefix } from "./upstash-fixtures.js";

const SAMPLE: Reply[] = [
  { type: "simple", value: "OK" },
  { type: "error", value: "ERR boom é" },
  { type: "int", value: -42, text: "-42" },
  { type: "int", value: 9007199254740992, text: "9007199254740993" },
  { type: "nil" },
  { type: "bulk", value: Buffer.from([0, 13, 10, 255, 0x41]) },
  { type: "bulk", value: Buffer.alloc(0) },
  { type: "array", value: [] },
  {
    type: "array",
    value: [
      { type: "bulk", value: Buffer.from("0") },
      { type: "array", value: [{ type: "bulk", value: Buffer.from("k\r\n") }, { type: "nil" }, { type: "int", value: 1, text: "1" }] },
    ],
  },
];

function parseAll(chunks: Buffer[]): Reply[] {
  const out: Reply[] = [];
  const parser = new ReplyParser((r) => out.push(r));
  for (const c of chunks) parser.feed(c);
  return out;
}

describe("ReplyParser", () => {
  const wire = Buffer.concat(SAMPLE.map(encodeReply));

  it("parses every reply type from one chunk", () => {
    expect(parseAll([wire])).toEqual(SAMPLE);
  });

  it("gives the same replies when fed one byte at a time", () => {
    const bytes = [...wire].map((b) => Buffer.from([b]));
    expect(parseAll(bytes)).toEqual(SAMPLE);
  });

  it("reads *-1 as nil and a bulk split across chunks exactly", () => {
    const big = randomBytes(200_000);
    const frame = Buffer.concat([Buffer.from("*-1\r\n"), encodeReply({ type: "bulk", value: big }), Buffer.from(":7\r\n")]);
    const chunks = [
      frame.subarray(0, 9),
      frame.subarray(9, 70_000),
      frame.subarray(70_000, frame.length - 3),
      frame.subarray(frame.length - 3),
    ];
    const [nil, bulk, seven] = parseAll(chunks);
    expect(nil).toEqual({ type: "nil" });
    expect(bulk?.type === "bulk" && bulk.value.equals(big)).toBe(true);
    expect(seven).toEqual({ type: "int", value: 7, text: "7" });
  });

  it("encodes commands as RESP arrays of bulk strings", () => {
    expect(encodeCommand(["SET", "k", Buffer.from([0xff]), 12]).toString("latin1")).toBe(
      "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n\xff\r\n$2\r\n12\r\n",
    );
  });
});

describe("RespConnection against redis-server", () => {
  let conn: RespConnection;
  beforeAll(async () => {
    conn = await RespConnection.open({ port: inject("redisPort") });
  });
  afterAll(() => conn?.close());

  it("round-trips 1 MiB of random bytes unchanged", async () => {
    const p = uniquePrefix("resp-bin");
    const value = randomBytes(1024 * 1024);
    expect(await conn.send(["SET", `${p}k`, value])).toEqual({ type: "simple", value: "OK" });
    const got = await conn.send(["GET", `${p}k`]);
    expect(got.type === "bulk" && got.value.equals(value)).toBe(true);
  });

  it("pipelines 1000 commands in one write and matches replies in order", async () => {
    const p = uniquePrefix("resp-pipe");
    const replies = await conn.sendMany(Array.from({ length: 1000 }, () => ["INCR", `${p}n`]));
    expect(replies.map((r) => (r.type === "int" ? r.value : r.type))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const concurrent = await Promise.all([conn.send(["GET", `${p}n`]), conn.send(["INCR", `${p}n`]), conn.send(["PING"])]);
    expect(concurrent).toEqual([
      { type: "bulk", value: Buffer.from("1000") },
      { type: "int", value: 1001, text: "1001" },
      { type: "simple", value: "PONG" },
    ]);
  });

  it("returns Redis errors as values, not rejections, and keeps the socket usable", async () => {
    expect(await conn.send(["NOSUCHCOMMAND"])).toEqual({
      type: "error",
      value: "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ",
    });
    expect(await conn.send(["BLPOP", uniquePrefix("resp-nil"), "0.01"])).toEqual({ type: "nil" });
    expect(conn.broken).toBe(false);
  });
});
