/**
 * Shared pieces for the Upstash stand-in suites: a stand-in in front of a Redis,
 * a direct RESP pool to compare with the real server, and a fetch recorder that
 * captures exactly what the official client puts on the wire.
 */
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, inject } from "vitest";
import { RespPool, type RespArg, toJs } from "../local/resp.js";
import { startUpstashRest, type UpstashRestHandle } from "../local/upstash-rest.js";

export const TOKEN = "test-token-upstash";

export interface UpstashFixture {
  rest: UpstashRestHandle;
  direct: RespPool;
  /** Runs one command straight against Redis and returns its plain JS value. */
  raw(...args: RespArg[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function upstashFixture(redisPort: number): Promise<UpstashFixture> {
  const rest = await startUpstashRest({ redisPort, token: TOKEN });
  const direct = new RespPool({ port: redisPort, max: 4 });
  return {
    rest,
    direct,
    raw: async (...args) => toJs(await direct.send(args)),
    close: async () => {
      direct.close();
      await rest.close();
    },
  };
}

/**
 * A stand-in on the suite's Redis for this test file (started in beforeAll, closed in afterAll) and the official
 * client pointed at it: `const up = useUpstash();`, then `up.fx` and `up.redis` inside the tests.
 */
export function useUpstash(): { fx: UpstashFixture; redis: Redis } {
  const up = {} as { fx: UpstashFixture; redis: Redis };
  beforeAll(async () => {
    up.fx = await upstashFixture(inject("redisPort"));
    up.redis = new Redis({ url: up.fx.rest.url, token: TOKEN, enableTelemetry: false });
  });
  afterAll(async () => {
    await up.fx?.close();
  });
  return up;
}

/** Sleeps until 10 ms into the next window of `windowMs`; returns that window's number (counts in it are exact). */
export async function nextWindow(windowMs: number): Promise<number> {
  await sleep(windowMs - (Date.now() % windowMs) + 10);
  return Math.floor(Date.now() / windowMs);
}

let seq = 0;
/** A key prefix no other test (or test file sharing the Redis) uses. */
export function uniquePrefix(name: string): string {
  return `t:${name}:${process.pid}:${Date.now().toString(36)}:${++seq}:`;
}

export interface Exchange {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: string;
}

/**
 * Records every fetch to `baseUrl` (the official client's requests and the raw responses). Nothing is
 * faked: each call goes through the real fetch to the real stand-in; the wrapper only keeps a copy.
 */
export function recordFetch(baseUrl: string): { exchanges: Exchange[]; restore(): void } {
  const exchanges: Exchange[] = [];
  const original = globalThis.fetch;
  const recording: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const res = await original(input, init);
    if (!url.startsWith(baseUrl)) return res;
    const text = await res.clone().text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    exchanges.push({
      path: url.slice(baseUrl.length) || "/",
      method: init?.method ?? "GET",
      headers,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
      status: res.status,
      response: text,
    });
    return res;
  };
  globalThis.fetch = recording;
  return {
    exchanges,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

/** Plain fetch against the stand-in with the official client's default headers unless overridden. */
export function post(rest: UpstashRestHandle, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(rest.url + path, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      authorization: `Bearer ${rest.token}`,
      "Upstash-Encoding": "base64",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
