/**
 * Sweep scaling: N expired dress-cache rows and N sessions stuck in `generating` are cleared
 * by the real cron sweeps (triggered like Cron Triggers fire them), while a read workload runs;
 * reported: time to clear, rows/s, cron runs, slowest single SQL request, read p99 idle vs during.
 * First a pacing table (src/cron/batches.ts): 100k expired rows cleared under each pacing setting
 * (BENCH_SWEEP_PACING = "batch:rest%:pauseMs,…"), rows/s against the readers' p99; the scaling table then runs
 * with the shipped defaults. Targets (issue 16): reader p99 ≤ 2 × idle, 1M rows ≤ 30 s.
 */
import type { BenchContext } from "../lib/context.js";
import { readLoop } from "../lib/load.js";
import { table } from "../lib/report.js";

const sizes = (process.env.BENCH_SWEEP_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const pacingRows = Number(process.env.BENCH_SWEEP_PACING_ROWS ?? 100_000);
const pacings = (process.env.BENCH_SWEEP_PACING ?? "2000:50:0,5000:0:0,5000:50:0,5000:100:0,10000:50:0,5000:200:0")
  .split(",")
  .filter(Boolean)
  .map((p) => {
    const [batch, rest, pause] = p.split(":").map(Number);
    return { batch: batch!, rest: rest ?? 0, pause: pause ?? 0 };
  });

type Kind = "expired dresses" | "stuck sessions";

async function seed(ctx: BenchContext, kind: Kind, n: number) {
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
}

function remainingOf(ctx: BenchContext, kind: Kind) {
  const sql =
    kind === "expired dresses"
      ? "SELECT count(*) FROM blog.cached_dresses WHERE expires_at < now() AND external_id LIKE 'sweep-%'"
      : "SELECT count(*) FROM blog.blog_sessions WHERE status = 'generating' AND store_url LIKE 'https://sweep.example/%'";
  return async () => Number((await ctx.pool.query(sql)).rows[0].count);
}

const cronOf = (kind: Kind) => (kind === "expired dresses" ? "17 3 * * *" : "*/5 * * * *");

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
  ctx.log("sweeps: idle read p99 …");
  const idleLoop = readLoop(ctx.worker.url, readPath, 4);
  await new Promise((r) => setTimeout(r, 4000));
  const idle = await idleLoop.stop();

  const pacingRowsOut: (string | number)[][] = [];
  const pacingOut: unknown[] = [];
  if (ctx.worker.setVars && pacingRows > 0) {
    for (const p of pacings) {
      await ctx.worker.setVars({ SWEEP_BATCH_SIZE: String(p.batch), SWEEP_REST_PERCENT: String(p.rest), SWEEP_PAUSE_MS: String(p.pause) });
      ctx.log(`sweeps: pacing ${p.batch} rows/batch, rest ${p.rest} %, pause ${p.pause} ms: ${pacingRows} expired dresses …`);
      await seed(ctx, "expired dresses", pacingRows);
      const remaining = remainingOf(ctx, "expired dresses");
      const during = readLoop(ctx.worker.url, readPath, 4);
      const res = await clear(ctx, cronOf("expired dresses"), remaining);
      const reads = await during.stop();
      const rps = pacingRows / (res.ms / 1000);
      pacingRowsOut.push([
        `${p.batch} / ${p.rest} % / ${p.pause} ms`,
        rps,
        1_000_000 / rps,
        reads.p50,
        reads.p99,
        reads.p99 / idle.p99,
        await remaining(),
      ]);
      pacingOut.push({
        ...p,
        rows: pacingRows,
        ...res,
        rowsPerSec: rps,
        readP50: reads.p50,
        readP99: reads.p99,
        p99OverIdle: reads.p99 / idle.p99,
      });
    }
    await ctx.worker.setVars({}); // back to the shipped defaults
    console.log(
      `\nSweep pacing (${pacingRows.toLocaleString("en")} expired dresses under 4 reader connections on ${readPath.path}; idle read p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms; targets: p99 ≤ 2 × idle, 1M rows ≤ 30 s)`,
    );
    console.log(
      table(["batch / rest / pause", "rows/s", "1M rows s (est.)", "read p50 ms", "read p99 ms", "p99 ÷ idle", "rows left"], pacingRowsOut),
    );
  }

  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  for (const n of sizes) {
    for (const kind of ["expired dresses", "stuck sessions"] as const) {
      ctx.log(`sweeps: seeding ${n} ${kind} …`);
      await seed(ctx, kind, n);
      const remaining = remainingOf(ctx, kind);
      ctx.log(`sweeps: clearing ${n} ${kind} under a read load …`);
      const during = readLoop(ctx.worker.url, readPath, 4);
      const res = await clear(ctx, cronOf(kind), remaining);
      const reads = await during.stop();
      const left = await remaining();
      rows.push([
        `${n.toLocaleString("en")} ${kind}`,
        res.ms / 1000,
        n / (res.ms / 1000),
        res.runs,
        res.maxStatementMs,
        reads.p99,
        reads.p99 / idle.p99,
        left,
      ]);
      out.push({ n, kind, ...res, readP99: reads.p99, left });
      if (kind === "stuck sessions") await ctx.pool.query("DELETE FROM blog.blog_sessions WHERE store_url LIKE 'https://sweep.example/%'");
    }
  }
  if (sizes.length > 0) {
    console.log(
      `\nSweep scaling (shipped pacing: batches of SWEEP_BATCH_SIZE rows, default 5000, rest SWEEP_REST_PERCENT of each batch's time; read p99 idle: ${idle.p99.toFixed(1)} ms on ${readPath.path}, 4 connections)`,
    );
    console.log(
      table(["work", "seconds", "rows/s", "cron runs", "slowest SQL request ms", "read p99 during ms", "p99 ÷ idle", "rows left"], rows),
    );
  }
  return { idleReadP50: idle.p50, idleReadP99: idle.p99, pacing: pacingOut, runs: out };
}
