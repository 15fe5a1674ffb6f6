/**
 * Latency of the Neon SQL-over-HTTP stand-in: `SELECT $1::int` through neon() + the stand-in
 * versus the same statement on a direct pg connection, sequentially, after a warm-up.
 */
import { neon, neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { startNeonHttp } from "../../test/local/neon-http.js";

export interface LatencySummary {
  p50: number;
  p99: number;
}

function summarize(samples: number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function measure(iterations: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const warmup = Math.min(200, Math.max(20, Math.floor(iterations / 10)));
  for (let i = 0; i < warmup; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

export async function benchNeon(opts: { backendUrl: string; iterations?: number }): Promise<{
  name: string;
  direct: LatencySummary;
  standin: LatencySummary;
}> {
  const iterations = Math.max(1000, opts.iterations ?? 1000);
  const client = new pg.Client({ connectionString: opts.backendUrl });
  await client.connect();
  const handle = await startNeonHttp({ backendUrl: opts.backendUrl });
  const previous = neonConfig.fetchEndpoint;
  neonConfig.fetchEndpoint = () => handle.url;
  try {
    const direct = await measure(iterations, async (i) => {
      const r = await client.query("SELECT $1::int AS n", [i]);
      if (r.rows[0].n !== i) throw new Error("direct: wrong result");
    });
    const sql = neon(handle.connectionString);
    const standin = await measure(iterations, async (i) => {
      const rows = await sql.query("SELECT $1::int AS n", [i]);
      if (rows[0]?.n !== i) throw new Error("stand-in: wrong result");
    });
    return { name: "neon sql-over-http", direct: summarize(direct), standin: summarize(standin) };
  } finally {
    neonConfig.fetchEndpoint = previous;
    await handle.close();
    await client.end();
  }
}
