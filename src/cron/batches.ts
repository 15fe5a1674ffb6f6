/**
 * The loop of a batched sweep: each call of `batch` touches at most `size` rows in one statement (claim them with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`, so overlapping runs split the work instead of waiting
 * on each other); batches repeat until one comes back short or the run's deadline passes.
 *
 * Each batch gets the run's remaining time (at most DB_TIMEOUT_MS) as its database deadline, so a batch cannot
 * outlive the run: it is aborted and, behind the db client's guard, rolled back.
 *
 * Pacing, so that readers do not notice a sweep: after each full batch the loop rests
 * max(SWEEP_PAUSE_MS, SWEEP_REST_PERCENT % of the batch's own time) before the next one (never past the deadline).
 * Resting in proportion to the batch's time caps the sweep's share of the database (100 % → at most half the time
 * busy) whatever the batch size or the machine; the fixed pause is a floor. The trade-off (rows/s vs reader p99)
 * is measured by `npm run bench -- --only sweeps`.
 */
import { deadlines, intVar } from "../core/config";
import { DeadlineExceeded } from "../core/deadline";
import type { AppEnv } from "../core/env";
import type { SweepContext, SweepResult } from "./types";

export const PACING_DEFAULTS = { SWEEP_PAUSE_MS: 0, SWEEP_REST_PERCENT: 50 };

/**
 * Rows a sweep statement deletes or updates (SWEEP_BATCH_SIZE). 5000: a statement stays near 100 ms on this
 * project's tables, and per-statement overhead (the HTTP round trip, planning) is paid 200 times per million rows
 * instead of 500 — measured by `npm run bench -- --only sweeps` (2000 → 5000 rows: 1M expired dresses 31 → 20 s
 * at the same rest, reader p99 no worse). A module whose rows carry other work (R2 objects) passes its own default.
 */
export const SWEEP_BATCH_DEFAULT = 5000;
export const sweepBatchSize = (env: AppEnv, fallback = SWEEP_BATCH_DEFAULT) => intVar(env.SWEEP_BATCH_SIZE, fallback);

/** A var that may be 0: a non-negative number, or `fallback` when missing or invalid. */
function nonNegative(value: string | undefined, fallback: number): number {
  const n = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function pacing(env: AppEnv): { pauseMs: number; restPercent: number } {
  return {
    pauseMs: nonNegative(env.SWEEP_PAUSE_MS, PACING_DEFAULTS.SWEEP_PAUSE_MS),
    restPercent: nonNegative(env.SWEEP_REST_PERCENT, PACING_DEFAULTS.SWEEP_REST_PERCENT),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function inBatches(
  ctx: Pick<SweepContext, "deadline" | "env">,
  size: number,
  batch: (timeoutMs: number) => Promise<number>,
): Promise<SweepResult> {
  const pace = pacing(ctx.env);
  let rows = 0;
  let batches = 0;
  let restedMs = 0;
  const details = (extra?: Record<string, unknown>) => ({ batches, batchSize: size, restedMs, ...extra });
  for (;;) {
    const left = ctx.deadline - Date.now();
    if (left <= 0) return { rows, details: details({ deadline: true }) };
    let n: number;
    const t0 = Date.now();
    try {
      n = await batch(Math.min(left, deadlines(ctx.env).dbMs));
    } catch (err) {
      if (err instanceof DeadlineExceeded || (err instanceof Error && err.cause instanceof DeadlineExceeded)) {
        return { rows, details: details({ deadline: true }) };
      }
      throw err;
    }
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: details() };
    const rest = Math.min(Math.max(pace.pauseMs, ((Date.now() - t0) * pace.restPercent) / 100), ctx.deadline - Date.now());
    if (rest > 0) {
      await sleep(rest);
      restedMs += rest;
    }
  }
}
