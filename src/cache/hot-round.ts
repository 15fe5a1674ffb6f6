/**
 * One Upstash round trip for the start of a request: the cache reads it will need and its rate-limit
 * counters travel in one `/pipeline` request, and the decisions are made on the answer.
 *
 * Rate limits are sliding windows (the approximation @upstash/ratelimit also uses): a counter per fixed
 * window, `INCR` + `PEXPIRE` on the current one and `GET` on the previous one, weighted by how much of the
 * previous window still overlaps the last `windowMs`. Unlike a Lua script these are plain commands, so they
 * pipeline with the reads. A refused request is counted by the INCR; the caller gives it back (`refund`).
 */
import type { Redis } from "@upstash/redis/cloudflare";

export interface WindowSpec {
  /** e.g. "ratelimit:principal" */
  prefix: string;
  /** who is limited, e.g. "principal:<id>" or an IP */
  id: string;
  limit: number;
  windowMs: number;
}

export interface WindowDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** ms since epoch when the current window ends */
  reset: number;
  /** the counter this request incremented (for a refund) */
  counter: string;
}

export const windowId = (spec: Pick<WindowSpec, "prefix" | "id">) => `${spec.prefix}:${spec.id}`;

/** "1 m", "10 s", "500 ms", "1 h", "1 d" → ms */
export function durationMs(d: string): number {
  const m = d.trim().match(/^(\d+)\s*(ms|s|m|h|d)$/);
  if (!m) throw new Error(`not a duration: ${d}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}

export interface RoundResult {
  /** key → value (null when absent), JSON-decoded like `redis.get` */
  values: Map<string, unknown>;
  /** windowId → decision */
  limits: Map<string, WindowDecision>;
}

/** Sends every GET and every window's commands in one pipeline request; throws when Redis fails. */
export async function hotRound(redis: Redis, gets: string[], limits: WindowSpec[], now = Date.now()): Promise<RoundResult> {
  const out: RoundResult = { values: new Map(), limits: new Map() };
  if (!gets.length && !limits.length) return out;
  const p = redis.pipeline();
  for (const k of gets) p.get(k);
  const windows = limits.map((spec) => {
    const index = Math.floor(now / spec.windowMs);
    const current = `${spec.prefix}:${spec.id}:${index}`;
    p.incr(current);
    // The counter is read as "previous" during the next window, then it is useless.
    p.pexpire(current, spec.windowMs * 2 + 1000);
    p.get(`${spec.prefix}:${spec.id}:${index - 1}`);
    return { spec, index, current };
  });
  const results = (await p.exec()) as unknown[];
  gets.forEach((k, i) => {
    out.values.set(k, results[i] ?? null);
  });
  windows.forEach(({ spec, index, current }, w) => {
    const at = gets.length + w * 3;
    const count = Number(results[at]) || 0;
    const previous = Number(results[at + 2]) || 0;
    const overlap = 1 - (now - index * spec.windowMs) / spec.windowMs;
    const used = count + Math.floor(previous * overlap);
    out.limits.set(windowId(spec), {
      success: used <= spec.limit,
      limit: spec.limit,
      remaining: Math.max(0, spec.limit - used),
      reset: (index + 1) * spec.windowMs,
      counter: current,
    });
  });
  return out;
}

/** Gives back the count of a refused request, so refusals do not push the caller's next window. */
export async function refund(redis: Redis, decision: WindowDecision): Promise<void> {
  await redis.decr(decision.counter);
}
