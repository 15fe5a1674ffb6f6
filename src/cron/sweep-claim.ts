/**
 * The claim every batched sweep statement starts with: the ids of at most `size` rows matching `where`, oldest first,
 * locked for this statement with `FOR UPDATE SKIP LOCKED` so that overlapping runs split the work instead of waiting
 * on each other. Used as `… WHERE id IN (<claim>)` by `sweepUpdate` and `sweepDelete`.
 */
import { asc, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { AnyDb } from "../db/client";

export interface SweepClaim<T extends PgTable> {
  /** the module's database client with the batch's deadline, e.g. `(timeoutMs) => chatDb(env, { timeoutMs })` */
  db: (timeoutMs: number) => AnyDb;
  table: T;
  /** the primary key column */
  id: PgColumn;
  /** which rows are due */
  where: SQL | undefined;
  /** claimed in ascending order of this column (it should lead the (partial) index the sweep uses) */
  oldestFirst: PgColumn;
  size: number;
}

export const claimOldest = <T extends PgTable>(db: AnyDb, u: SweepClaim<T>) =>
  db
    .select({ id: u.id })
    .from(u.table as PgTable)
    .where(u.where)
    .orderBy(asc(u.oldestFirst))
    .limit(u.size)
    .for("update", { skipLocked: true });
