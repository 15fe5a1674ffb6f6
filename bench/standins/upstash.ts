/**
 * Latency the Upstash REST stand-in adds: sequential GETs straight over RESP
 * versus through @upstash/redis (auto-pipelining off) and the stand-in.
 */
import { Redis } from "@upstash/redis";
import { RespConnection } from "../../test/local/resp.js";
import { startUpstashRest } from "../../test/local/upstash-rest.js";

export interface LatencySummary {
  p50: number;
  p99: number;
}

function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function measure(iterations: number, warmup: number, op: () => Promise<unknown>): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await op();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await op();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export async function benchUpstash(opts: { redisPort: number; iterations?: number }): Promise<{
  name: string;
  direct: LatencySummary;
  standin: LatencySummary;
}> {
  const iterations = Math.max(1000, opts.iterations ?? 2000);
  const warmup = Math.min(500, Math.ceil(iterations / 4));
  const key = `bench:upstash:${process.pid}`;
  const value = "x".repeat(64);

  const conn = await RespConnection.open({ port: opts.redisPort });
  const rest = await startUpstashRest({ redisPort: opts.redisPort, token: "bench-token" });
  try {
    const set = await conn.send(["SET", key, value]);
    if (set.type !== "simple") throw new Error(`SET failed: ${JSON.stringify(set)}`);
    const direct = await measure(iterations, warmup, async () => {
      const r = await conn.send(["GET", key]);
      if (r.type !== "bulk") throw new Error(`direct GET returned ${r.type}`);
    });
    const redis = new Redis({ url: rest.url, token: rest.token, enableAutoPipelining: false, enableTelemetry: false });
    const standin = await measure(iterations, warmup, async () => {
      if ((await redis.get<string>(key)) !== value) throw new Error("stand-in GET returned a wrong value");
    });
    await conn.send(["DEL", key]);
    return { name: "upstash-rest (GET)", direct, standin };
  } finally {
    conn.close();
    await rest.close();
  }
}
