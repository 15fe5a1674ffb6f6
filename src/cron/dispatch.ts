import { createCache } from "../cache/client";
import { intVar } from "../core/config";
import type { AppEnv } from "../core/env";
import { createLogger, errorFields } from "../core/logger";
import type { CronTable, Sweep, SweepContext, SweepReport } from "./types";

/** Runs one sweep, turning a throw into a failed report so it never stops its neighbours. */
async function runOne(sweep: Pick<Sweep, "name" | "run">, ctx: SweepContext): Promise<SweepReport> {
  const t0 = Date.now();
  try {
    const res = await sweep.run(ctx);
    const report: SweepReport = { sweep: sweep.name, ok: true, rows: res.rows, ms: Date.now() - t0, details: res.details };
    ctx.logger.info("sweep done", { ...report });
    return report;
  } catch (err) {
    const report: SweepReport = {
      sweep: sweep.name,
      ok: false,
      rows: 0,
      ms: Date.now() - t0,
      error: err instanceof Error ? err.message : String(err),
    };
    ctx.logger.error("sweep failed", { sweep: sweep.name, ms: report.ms, ...errorFields(err) });
    return report;
  }
}

/**
 * Runs every sweep registered for `cron` concurrently and independently.
 * Unknown expressions log a warning and run nothing.
 */
export async function dispatchCron(table: CronTable, cron: string, env: AppEnv, scheduledTime: number): Promise<SweepReport[]> {
  const logger = createLogger(env.LOG_LEVEL, { cron });
  const sweeps = table[cron];
  if (!sweeps) {
    logger.warn("no sweeps registered for cron expression");
    return [];
  }
  const budgetMs = intVar(env.SWEEP_BUDGET_MS, 25_000);
  const ctx: SweepContext = { env, cache: createCache(env, logger), logger, scheduledTime, deadline: Date.now() + budgetMs };
  const t0 = Date.now();
  const reports = await Promise.all(sweeps.map((s) => runOne(s, ctx)));
  logger.info("cron done", { sweeps: reports.length, failed: reports.filter((r) => !r.ok).length, ms: Date.now() - t0 });
  return reports;
}
