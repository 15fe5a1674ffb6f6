/**
 * One Upstash round trip for the start of a request, and no write in it: the cache reads the request will need
 * and its rate-limit counters travel in one `/pipeline` request of read commands only, which a global database
 * answers from the read replica nearest the colo. The decisions are made on the answer.
 *
 * Rate limits are sliding windows (the approximation @upstash/ratelimit also uses): a counter per fixed window,
 * weighted by how much of the previous window still overlaps the last `windowMs`. Each window's counter is a hash
 * with one field per isolate (a grow-only counter; @upstash/ratelimit's multi-region limiter likewise sums a hash of
 * fields and syncs the other regions after answering): an isolate counts the requests it admits in its own memory, exactly, adds what the other isolates
 * wrote, and sends its increments after the response (`commitAdmitted`, one `/multi-exec` of HINCRBY + PEXPIRE,
 * in `waitUntil`). So the write never waits for the primary on the request path.
 * Staleness bound: another isolate's admissions are seen once its commit has reached the replica (its request's
 * time plus the replication lag, typically well under a second); within one isolate the count is exact. So the
 * limit can be exceeded by at most the requests other isolates admit for the same caller within that lag.
 * Refused requests are not counted (nothing to give back).
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

/** What the round read for one window: the other isolates' counts of the current and the previous window. */
export interface WindowRead {
  spec: WindowSpec;
  /** the fixed window the read was made in */
  index: number;
  othersCurrent: number;
  othersPrevious: number;
}

export interface WindowDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** ms since epoch when the current window ends */
  reset: number;
  /** the current window's counter (a hash, one field per isolate) */
  counter: string;
  windowMs: number;
}

export const windowId = (spec: Pick<WindowSpec, "prefix" | "id">) => `${spec.prefix}:${spec.id}`;
const counterOf = (spec: WindowSpec, index: number) => `${spec.prefix}:${spec.id}:${index}`;

/** The sliding window's count: the current window's requests plus the previous one's, weighted by their overlap. */
function slidingDecision(spec: WindowSpec, index: number, now: number, current: number, previous: number): WindowDecision {
  const overlap = 1 - (now - index * spec.windowMs) / spec.windowMs;
  const used = current + Math.floor(previous * overlap);
  return {
    success: used <= spec.limit,
    limit: spec.limit,
    remaining: Math.max(0, spec.limit - used),
    reset: (index + 1) * spec.windowMs,
    counter: counterOf(spec, index),
    windowMs: spec.windowMs,
  };
}

/** "1 m", "10 s", "500 ms", "1 h", "1 d" → ms */
export function durationMs(d: string): number {
  const m = d.trim().match(/^(\d+)\s*(ms|s|m|h|d)$/);
  if (!m) throw new Error(`not a duration: ${d}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}

/**
 * This isolate's field name in every counter hash, drawn on first use (random values cannot be drawn in a
 * Worker's global scope), and the requests it admitted per counter (kept two windows, then dropped).
 */
let isolateField: string | undefined;
const field = () => (isolateField ??= crypto.randomUUID());
const admitted = new Map<string, { count: number; until: number }>();

function ownCount(counter: string, now: number): number {
  const e = admitted.get(counter);
  if (!e) return 0;
  if (e.until <= now) {
    admitted.delete(counter);
    return 0;
  }
  return e.count;
}

/** Sum of a counter hash's fields other than this isolate's (HGETALL answers null for a missing key). */
function others(hash: unknown): number {
  if (!hash || typeof hash !== "object") return 0;
  let sum = 0;
  for (const [k, v] of Object.entries(hash as Record<string, unknown>)) if (k !== isolateField) sum += Number(v) || 0;
  return sum;
}

export interface RoundResult {
  /** key → value (null when absent), JSON-decoded like `redis.get` */
  values: Map<string, unknown>;
  /** windowId → what was read for it */
  limits: Map<string, WindowRead>;
}

/** Sends every GET and every window's reads in one pipeline request of read commands; throws when Redis fails. */
export async function hotRound(redis: Redis, gets: string[], limits: WindowSpec[], now = Date.now()): Promise<RoundResult> {
  const out: RoundResult = { values: new Map(), limits: new Map() };
  if (!gets.length && !limits.length) return out;
  const p = redis.pipeline();
  for (const k of gets) p.get(k);
  const windows = limits.map((spec) => {
    const index = Math.floor(now / spec.windowMs);
    p.hgetall(counterOf(spec, index));
    p.hgetall(counterOf(spec, index - 1));
    return { spec, index };
  });
  const results = (await p.exec()) as unknown[];
  gets.forEach((k, i) => {
    out.values.set(k, results[i] ?? null);
  });
  windows.forEach(({ spec, index }, w) => {
    const at = gets.length + w * 2;
    out.limits.set(windowId(spec), { spec, index, othersCurrent: others(results[at]), othersPrevious: others(results[at + 1]) });
  });
  return out;
}

/**
 * The decision for one more request, on what the round read plus this isolate's own count at this moment (so two
 * requests of one isolate that read Redis together are still counted one after the other). A read made in an
 * earlier window than `now`'s counts as nothing read: the window moved on.
 */
export function decide(read: WindowRead, now = Date.now()): WindowDecision {
  const { spec } = read;
  const index = Math.floor(now / spec.windowMs);
  const fresh = index === read.index;
  const previousOthers = fresh ? read.othersPrevious : index === read.index + 1 ? read.othersCurrent : 0;
  const current = (fresh ? read.othersCurrent : 0) + ownCount(counterOf(spec, index), now) + 1;
  return slidingDecision(spec, index, now, current, previousOthers + ownCount(counterOf(spec, index - 1), now));
}

/**
 * What to decide on when Redis could not be read: this isolate's own count only. It never refuses a request that
 * the shared count would admit (the own count is part of it), so with Redis down a caller is still held to the
 * limit within each isolate instead of not at all.
 */
export const ownRead = (spec: WindowSpec, now = Date.now()): WindowRead => ({
  spec,
  index: Math.floor(now / spec.windowMs),
  othersCurrent: 0,
  othersPrevious: 0,
});

/** Counts an admitted request in this isolate's memory, at once (call right after `decide`, with no await between). */
export function admit(decisions: WindowDecision[], now = Date.now()): void {
  for (const d of decisions) {
    const e = admitted.get(d.counter);
    if (e && e.until > now) e.count++;
    else admitted.set(d.counter, { count: 1, until: d.reset + d.windowMs });
  }
  if (admitted.size > 20_000) for (const [k, e] of admitted) if (e.until <= now) admitted.delete(k);
}

/** Adds admitted requests to this isolate's fields in Redis (one transaction: a counter never lives without its TTL). */
export async function commitAdmitted(redis: Redis, decisions: WindowDecision[]): Promise<void> {
  if (!decisions.length) return;
  const tx = redis.multi();
  for (const d of decisions) {
    tx.hincrby(d.counter, field(), 1);
    // read as "previous" during the next window, then useless
    tx.pexpire(d.counter, d.windowMs * 2 + 1000);
  }
  await tx.exec();
}

/**
 * A window counted on the spot (INCR on the primary, then decided): for rare events that must be seen by every
 * isolate at once, such as failed authentications. Not for the request path of valid calls.
 */
export async function countNow(redis: Redis, spec: WindowSpec, now = Date.now()): Promise<WindowDecision> {
  const index = Math.floor(now / spec.windowMs);
  const current = counterOf(spec, index);
  const p = redis.pipeline();
  p.incr(current);
  p.pexpire(current, spec.windowMs * 2 + 1000);
  p.get(counterOf(spec, index - 1));
  const [count, , previous] = (await p.exec()) as unknown[];
  return slidingDecision(spec, index, now, Number(count) || 0, Number(previous) || 0);
}
