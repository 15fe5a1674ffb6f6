/**
 * Idempotency keys on creates (opt-in per route: `middleware: [auth, idempotent()]`).
 *
 * The first completed answer to `Idempotency-Key: k` is kept in Redis per (principal, k) — per client IP
 * when the route has no principal — for 24 h and replayed byte for byte (status, body, Content-Type,
 * Location) to a retry with the same method, path and body; `Idempotent-Replayed: true` marks a replay.
 * The same key with another body → 422; a retry while the first is still running → 409 + Retry-After.
 * Answers that did not complete (5xx, such as a deadline's 503, and 429) are not kept: the key is freed
 * and a retry runs again. A completed answer whose record Redis would not take keeps the key in flight
 * (409 to retries) rather than freeing it: the create happened, and a retry must not run it twice.
 * Without the header a route behaves as before.
 *
 * Redis configured but down → 503 + Retry-After for requests that carry a key: the client asked for
 * exactly-once, and running the create without the record could duplicate it on the very retries an
 * outage causes. Requests without a key are unaffected. With no Redis configured at all (local runs
 * without redis-server) keys are ignored.
 */
import type { MiddlewareHandler } from "hono";
import { createRedis } from "../cache/client";
import { deadlines } from "../core/config";
import { intVar } from "../core/config";
import type { AppContext } from "./context";
import { errorFields } from "../core/logger";
import { HttpProblem, problemTypes, unavailable } from "../core/problem";
import { clientIp } from "./rate-limit";
import { digest } from "../core/secrets";

export const IDEMPOTENCY_TTL_SEC = 24 * 3600;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "location", "cache-control"];

type Stored =
  | { state: "pending"; fp: string }
  | { state: "done"; fp: string; status: number; headers: Record<string, string>; body: string };

function toBase64(buf: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(b64: string): ArrayBuffer {
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)).buffer as ArrayBuffer;
}

export const idempotencyRedisKey = (scope: string, key: string) => `idem:${scope}:${key}`;

export function idempotent(opts: { ttlSec?: number } = {}): MiddlewareHandler<AppContext> {
  const ttlSec = opts.ttlSec ?? IDEMPOTENCY_TTL_SEC;
  return async (c, next) => {
    const key = c.req.header("Idempotency-Key");
    if (key === undefined) return next();
    if (!KEY_SHAPE.test(key)) {
      throw new HttpProblem({
        status: 400,
        type: problemTypes.validation,
        detail: "Idempotency-Key must be 1–255 visible ASCII characters.",
        errors: [{ path: "header.Idempotency-Key", message: "invalid" }],
      });
    }
    const redis = createRedis(c.env, intVar(c.env.CACHE_TIMEOUT_MS, 500));
    if (!redis) return next();
    const principal = c.get("principal")?.subject;
    const scope = principal ? `p:${principal}` : `ip:${clientIp(c)}`;
    const rkey = idempotencyRedisKey(scope, await digest(key));
    const fp = await digest(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    // The in-flight marker outlives the longest the first request can run.
    const pendingMs = deadlines(c.env).requestMs + 5_000;
    const down = (err: unknown) => {
      c.get("logger")?.warn("idempotency store unavailable", { ...errorFields(err), stack: undefined });
      return unavailable("Idempotency keys cannot be honoured right now. Retry shortly.", 2);
    };

    let taken: boolean;
    let existing: Stored | null = null;
    try {
      taken = (await redis.set(rkey, { state: "pending", fp } satisfies Stored, { nx: true, px: pendingMs })) === "OK";
      if (!taken) existing = await redis.get<Stored>(rkey);
    } catch (err) {
      throw down(err);
    }
    if (!taken) {
      if (existing && existing.fp !== fp) {
        throw new HttpProblem({
          status: 422,
          type: "/problems/idempotency-key-reused",
          detail: "This Idempotency-Key was used with a different request. Use a new key for a new request.",
        });
      }
      if (!existing || existing.state === "pending") {
        throw new HttpProblem({
          status: 409,
          type: "/problems/idempotency-in-flight",
          detail: "A request with this Idempotency-Key is still being processed. Retry shortly.",
          headers: { "Retry-After": "1" },
        });
      }
      const headers = new Headers(existing.headers);
      headers.set("Idempotent-Replayed", "true");
      return c.newResponse(fromBase64(existing.body), existing.status as 200, Object.fromEntries(headers));
    }

    // Set once the handler has answered with something worth keeping: from then on the create may have
    // happened, and the marker must never be freed, whatever happens to the record.
    let completed = false;
    try {
      await next();
      const status = c.res.status;
      if (status < 500 && status !== 429) {
        completed = true;
        const headers: Record<string, string> = {};
        for (const h of REPLAYED_HEADERS) {
          const v = c.res.headers.get(h);
          if (v !== null) headers[h] = v;
        }
        const body = toBase64(await c.res.clone().arrayBuffer());
        const record: Stored = { state: "done", fp, status, headers, body };
        // The create happened: failing to record it must not turn its answer into an error.
        await keepRecord(redis, rkey, record, ttlSec, (msg, err) => c.get("logger")?.warn(msg, { ...errorFields(err), stack: undefined }));
      }
    } finally {
      if (!completed) await redis.del(rkey).catch(() => 0);
    }
  };
}

/**
 * Stores the finished answer; tried twice. When Redis cannot take it, the in-flight marker is kept (and, if
 * Redis lets us, stretched to the record's lifetime): a retry then gets 409 + Retry-After instead of running
 * the create a second time. Freeing the key here would turn a brief Redis hiccup into a duplicate row.
 */
async function keepRecord(
  redis: NonNullable<ReturnType<typeof createRedis>>,
  rkey: string,
  record: Stored,
  ttlSec: number,
  warn: (msg: string, err: unknown) => void,
): Promise<void> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await redis.set(rkey, record, { ex: ttlSec });
      return;
    } catch (err) {
      lastErr = err;
    }
  }
  warn("idempotency record not stored; the key stays in flight", lastErr);
  await redis.expire(rkey, ttlSec).catch(() => 0);
}
