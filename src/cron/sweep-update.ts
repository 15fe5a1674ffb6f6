/**
 * The most common sweep: move every row matching `where` (e.g. "running and older than the timeout") to a new state,
 * `size` rows per statement, oldest first:
 * `UPDATE t SET … WHERE id IN (SELECT id FROM t WHERE <where> ORDER BY <oldest> LIMIT n FOR UPDATE SKIP LOCKED) AND <where>`.
 * SKIP LOCKED lets overlapping runs split the work; repeating `where` in the UPDATE leaves alone a row that changed
 * between the claim and the write, so the sweep is idempotent. The loop and its deadline are `inBatches`.
 */
import { and, asc, inArray, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/client";
import { affectedRows } from "./affected-rows";
import { inBatches } from "./batches";
import type { SweepContext, SweepResult } from "./types";

// biome-ignore lint/suspicious/noExplicitAny: any drizzle neon-http database, whatever its schema
type AnyDb = Db<any>;

export interface SweepUpdate<T extends PgTable> {
  /** the module's database client with the batch's deadline, e.g. `(timeoutMs) => chatDb(env, { timeoutMs })` */
  db: (timeoutMs: number) => AnyDb;
  table: T;
  /** the primary key column */
  id: PgColumn;
  /** which rows are due; also re-checked by the UPDATE */
  where: SQL | undefined;
  /** claimed in ascending order of this column (it should lead the partial index the sweep uses) */
  oldestFirst: PgColumn;
  size: number;
  set: PgUpdateSetSource<T>;
  /** columns to hand to `after`, default the id */
  returning?: Record<string, PgColumn>;
  /** runs after each batch with the rows it moved (e.g. to drop their cache entries) */
  after?: (rows: Record<string, unknown>[]) => Promise<void>;
}

export function sweepUpdate<T extends PgTable>(ctx: Pick<SweepContext, "deadline" | "env">, u: SweepUpdate<T>): Promise<SweepResult> {
  return inBatches(ctx, u.size, async (timeoutMs) => {
    const db = u.db(timeoutMs);
    const due = db
      .select({ id: u.id })
      .from(u.table as PgTable)
      .where(u.where)
      .orderBy(asc(u.oldestFirst))
      .limit(u.size)
      .for("update", { skipLocked: true });
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
