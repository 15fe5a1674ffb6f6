/**
 * The loop of a batched sweep: each call of `batch` touches at most `size` rows in one statement (claim them with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`, so overlapping runs split the work instead of waiting
 * on each other); batches repeat until one comes back short or the run's deadline passes.
 */
import type { SweepContext, SweepResult } from "./types";

export async function inBatches(ctx: Pick<SweepContext, "deadline">, size: number, batch: () => Promise<number>): Promise<SweepResult> {
  let rows = 0;
  let batches = 0;
  for (;;) {
    const n = await batch();
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: { batches, batchSize: size } };
  }
}
