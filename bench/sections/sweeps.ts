/**
 * Sweep scaling: N expired dress-cache rows and N sessions stuck in `generating` are cleared
 * by the real cron sweeps (triggered like Cron Triggers fire them), while a read workload runs;
 * reported: time to clear, rows/s, cron runs, slowest single SQL request, read p99 idle vs during.
 */
import type { BenchContext } from "../lib/context.js";
import { readLoop } from "../lib/load.js";
import { table } from "../lib/report.js";

const sizes = (process.env.BENCH_SWEEP_SIZES ?? "10000,100000,1000000").split(",").map(Number);

async function trigger(ctx: BenchContext, cron: string) {
  const res = await fetch(`${ctx.worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`scheduled ${cron}: ${res.status}`);
}

async function clear(ctx: BenchContext, cron: string, remaining: () => Promise<number>) {
  await ctx.stack.resetStats();
  const t0 = Date.now();
  let runs = 0;
  while ((await remaining()) > 0 && runs < 50) {
    await trigger(ctx, cron);
    runs++;
  }
  const ms = Date.now() - t0;
  const stats = (await ctx.stack.stats()) as { postgresMaxMs?: number; postgres: number };
  return { ms, runs, maxStatementMs: stats.postgresMaxMs ?? NaN, sqlRequests: stats.postgres };
}

export async function sweepSection(ctx: BenchContext, readPath: { path: string; headers?: Record<string, string> }) {
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  ctx.log("sweeps: idle read p99 …");
  const idleLoop = readLoop(ctx.worker.url, readPath, 4);
  await new Promise((r) => setTimeout(r, 4000));
  const idle = await idleLoop.stop();
  for (const n of sizes) {
    for (const kind of ["expired dresses", "stuck sessions"] as const) {
      ctx.log(`sweeps: seeding ${n} ${kind} …`);
      if (kind === "expired dresses") {
        await ctx.pool.query(
          `INSERT INTO blog.cached_dresses (external_id, name, category, raw_data, cached_at, expires_at)
          SELECT 'sweep-' || $1::int || '-' || i, 'Dress ' || i, 'sweep', '{}', now() - interval '2 days', now() - interval '1 day' - (i || ' seconds')::interval
          FROM generate_series(1, $1::int) i`,
          [n],
        );
      } else {
        await ctx.pool.query(
          `INSERT INTO blog.blog_sessions (status, store_url, agent_log, created_at, updated_at)
          SELECT 'generating', 'https://sweep.example/' || i, '[]', now() - interval '3 hours', now() - interval '2 hours'
          FROM generate_series(1, $1::int) i`,
          [n],
        );
      }
      await ctx.pool.query("ANALYZE blog.cached_dresses; ANALYZE blog.blog_sessions");
      const remaining =
        kind === "expired dresses"
          ? async () =>
              Number(
                (await ctx.pool.query("SELECT count(*) FROM blog.cached_dresses WHERE expires_at < now() AND external_id LIKE 'sweep-%'"))
                  .rows[0].count,
              )
          : async () =>
              Number(
                (
                  await ctx.pool.query(
                    "SELECT count(*) FROM blog.blog_sessions WHERE status = 'generating' AND store_url LIKE 'https://sweep.example/%'",
                  )
                ).rows[0].count,
              );
      ctx.log(`sweeps: clearing ${n} ${kind} under a read load …`);
      const during = readLoop(ctx.worker.url, readPath, 4);
      const res = await clear(ctx, kind === "expired dresses" ? "17 3 * * *" : "*/5 * * * *", remaining);
      const reads = await during.stop();
      const left = await remaining();
      rows.push([`${n.toLocaleString("en")} ${kind}`, res.ms / 1000, n / (res.ms / 1000), res.runs, res.maxStatementMs, reads.p99, left]);
      out.push({ n, kind, ...res, left });
      if (kind === "stuck sessions") await ctx.pool.query("DELETE FROM blog.blog_sessions WHERE store_url LIKE 'https://sweep.example/%'");
    }
  }
  console.log(
    `\nSweep scaling (batches of SWEEP_BATCH_SIZE rows, default 2000; read p99 idle: ${idle.p99.toFixed(1)} ms on ${readPath.path}, 4 connections)`,
  );
  console.log(table(["work", "seconds", "rows/s", "cron runs", "slowest SQL request ms", "read p99 during ms", "rows left"], rows));
  return { idleReadP99: idle.p99, runs: out };
}
