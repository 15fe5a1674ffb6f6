/**
 * The most common sweep: move every row matching `where` (e.g. "running and older than the timeout") to a new state,
 * `size` rows per statement, oldest first:
 * `UPDATE t SET … WHERE id IN (SELECT id FROM t WHERE <where> ORDER BY <oldest> LIMIT n FOR UPDATE SKIP LOCKED) AND <where>`.
 * SKIP LOCKED lets overlapping runs split the work; repeating `where` in the UPDATE leaves alone a row that changed
 * between the claim and the write, so the sweep is idempotent. The loop and its deadline are `inBatches`.
 */
import { and, inArray } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import { affectedRows } from "./affected-rows";
import { inBatches } from "./batches";
import { claimOldest, type SweepClaim } from "./sweep-claim";
import type { SweepContext, SweepResult } from "./types";

/** `where` is also re-checked by the UPDATE. */
export interface SweepUpdate<T extends PgTable> extends SweepClaim<T> {
  set: PgUpdateSetSource<T>;
  /** columns to hand to `after`, default the id */
  returning?: Record<string, PgColumn>;
  /** runs after each batch with the rows it moved (e.g. to drop their cache entries) */
  after?: (rows: Record<string, unknown>[]) => Promise<void>;
}

export function sweepUpdate<T extends PgTable>(ctx: Pick<SweepContext, "deadline" | "env">, u: SweepUpdate<T>): Promise<SweepResult> {
  return inBatches(ctx, u.size, async (timeoutMs) => {
    const db = u.db(timeoutMs);
    const due = claimOldest(db, u);
    const update = db
      .update(u.table)
      .set(u.set)
      .where(and(inArray(u.id, due), u.where))
      .returning(u.returning ?? { id: u.id });
    if (!u.after) return affectedRows(db, update);
    const rows: Record<string, unknown>[] = await update;
    await u.after(rows);
    return rows.length;
  });
}
