/** One load run with autocannon, plus the round trips the stand-ins saw per request. */
import autocannon from "autocannon";

export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  pgPerReq: number;
  redisPerReq: number;
  /** Redis requests holding a write (a global database sends them to its primary) */
  redisWritesPerReq: number;
  /** Redis requests sent after the response (rate-limit commits): not on the latency path */
  redisAfterPerReq: number;
}

type Counters = {
  resetStats(): Promise<void>;
  stats(): Promise<{ postgres: number; redis: number; redisWrites?: number; redisAfterResponse?: number }>;
};

export async function load(opts: {
  url: string;
  /** a fixed request, or a generator called for every request (unique ids for creates/transitions) */
  request: LoadRequest | (() => LoadRequest);
  durationSec: number;
  connections: number;
  amount?: number;
  /** the stand-ins' request counters; round trips per request come from them */
  counters?: Counters;
}): Promise<LoadResult> {
  const make = typeof opts.request === "function" ? opts.request : () => opts.request as LoadRequest;
  await opts.counters?.resetStats();
  const first = make();
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationSec }),
    method: (first.method ?? "GET") as autocannon.Request["method"],
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const r = make();
          return {
            ...req,
            method: (r.method ?? "GET") as autocannon.Request["method"],
            path: r.path,
            headers: { ...(r.headers ?? {}), ...(r.body ? { "content-type": "application/json" } : {}) },
            body: r.body,
          };
        },
      },
    ],
  });
  const total = result.requests.total || 1;
  const trips = (await opts.counters?.stats()) ?? { postgres: 0, redis: 0, redisWrites: 0, redisAfterResponse: 0 };
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p95: result.latency.p97_5, // autocannon reports p97.5, not p95
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    pgPerReq: trips.postgres / total,
    redisPerReq: trips.redis / total,
    redisWritesPerReq: (trips.redisWrites ?? 0) / total,
    redisAfterPerReq: (trips.redisAfterResponse ?? 0) / total,
  };
}

/** Latencies of `n` sequential calls, for paths too stateful for a load run (cache miss, stale). */
export async function sample(n: number, fn: () => Promise<void>): Promise<{ p50: number; p99: number; mean: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** A steady read workload (`connections` sequential loops) that runs until stopped; returns its latencies. */
export function readLoop(url: string, req: LoadRequest, connections: number) {
  let running = true;
  const times: number[] = [];
  let errors = 0;
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}${req.path}`, { method: req.method ?? "GET", headers: req.headers });
        await res.arrayBuffer();
        if (!res.ok) errors++;
      } catch {
        errors++;
      }
      times.push(performance.now() - t0);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
      return { requests: times.length, p50: at(0.5), p99: at(0.99), errors };
    },
  };
}

/** Sequential requests for `seconds` (or `amount` requests), timed with sub-millisecond resolution. */
export async function latency(opts: {
  url: string;
  request: LoadRequest | (() => LoadRequest);
  seconds: number;
  amount?: number;
  counters?: Counters;
}): Promise<LoadResult> {
  const make = typeof opts.request === "function" ? opts.request : () => opts.request as LoadRequest;
  await opts.counters?.resetStats();
  const times: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const deadline = Date.now() + opts.seconds * 1000;
  const started = performance.now();
  while (opts.amount ? times.length < opts.amount : Date.now() < deadline) {
    const r = make();
    const t0 = performance.now();
    try {
      const res = await fetch(`${opts.url}${r.path}`, {
        method: r.method ?? "GET",
        headers: { ...(r.headers ?? {}), ...(r.body ? { "content-type": "application/json" } : {}) },
        body: r.body,
      });
      await res.arrayBuffer();
      if (res.status >= 300) non2xx++;
    } catch {
      errors++;
    }
    times.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  const trips = (await opts.counters?.stats()) ?? { postgres: 0, redis: 0, redisWrites: 0, redisAfterResponse: 0 };
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const total = times.length || 1;
  return {
    requests: times.length,
    rps: times.length / elapsed,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors,
    non2xx,
    pgPerReq: trips.postgres / total,
    redisPerReq: trips.redis / total,
    redisWritesPerReq: (trips.redisWrites ?? 0) / total,
    redisAfterPerReq: (trips.redisAfterResponse ?? 0) / total,
  };
}
