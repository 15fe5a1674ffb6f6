/**
 * The loop of a batched sweep: each call of `batch` touches at most `size` rows in one statement (claim them with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`, so overlapping runs split the work instead of waiting
 * on each other); batches repeat until one comes back short or the run's deadline passes.
 *
 * Each batch gets the run's remaining time (at most DB_TIMEOUT_MS) as its database deadline, so a batch cannot
 * outlive the run: it is aborted and, behind the db client's guard, rolled back.
 */
import { deadlines } from "../core/config";
import { DeadlineExceeded } from "../core/deadline";
import type { SweepContext, SweepResult } from "./types";

export async function inBatches(
  ctx: Pick<SweepContext, "deadline" | "env">,
  size: number,
  batch: (timeoutMs: number) => Promise<number>,
): Promise<SweepResult> {
  let rows = 0;
  let batches = 0;
  for (;;) {
    const left = ctx.deadline - Date.now();
    if (left <= 0) return { rows, details: { batches, batchSize: size, deadline: true } };
    let n: number;
    try {
      n = await batch(Math.min(left, deadlines(ctx.env).dbMs));
    } catch (err) {
      if (err instanceof DeadlineExceeded || (err instanceof Error && err.cause instanceof DeadlineExceeded)) {
        return { rows, details: { batches, batchSize: size, deadline: true } };
      }
      throw err;
    }
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: { batches, batchSize: size } };
  }
}
