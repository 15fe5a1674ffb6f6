/**
 * Leases for background work: rows are claimed with one statement and held by a token until the lease
 * expires, so overlapping cron runs or job runners split rows instead of doing them twice, and the work of
 * a runner that died becomes claimable again once its lease runs out. The table needs the columns
 * `lease_owner text` and `lease_expires_at timestamp` (any property names) and a primary key column `id`.
 */
import { and, eq, getTableColumns, gt, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { randomToken } from "../core/secrets";
import type { AnyDb } from "./client";

interface LeaseColumns {
  id: PgColumn;
  owner: PgColumn;
  expiresAt: PgColumn;
  ownerKey: string;
  expiresKey: string;
}

function leaseColumns(table: PgTable): LeaseColumns {
  const cols = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const byName = (n: string) => cols.find(([, c]) => c.name === n);
  const id = byName("id");
  const owner = byName("lease_owner");
  const expires = byName("lease_expires_at");
  if (!id || !owner || !expires) throw new Error("a leased table needs the columns id, lease_owner and lease_expires_at");
  return { id: id[1], owner: owner[1], expiresAt: expires[1], ownerKey: owner[0], expiresKey: expires[0] };
}

const inMs = (ms: number) => sql`now() + ${ms}::double precision * interval '1 millisecond'`;

/**
 * Claims up to `limit` rows matching `where` whose lease is free or expired, in one statement:
 * `UPDATE … SET lease_owner = $token, lease_expires_at = now() + ttl WHERE id IN (SELECT id … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *`.
 */
export async function claimWithLease<T extends PgTable>(
  db: AnyDb,
  opts: { table: T; where: SQL | undefined; orderBy?: SQL | PgColumn; limit: number; ttlMs: number; owner?: string },
): Promise<{ token: string; rows: T["$inferSelect"][] }> {
  const c = leaseColumns(opts.table);
  const token = `${opts.owner ?? "lease"}:${randomToken(12)}`;
  const free = or(isNull(c.expiresAt), lt(c.expiresAt, sql`now()`));
  const due = db
    .select({ id: c.id })
    .from(opts.table as PgTable)
    .where(and(opts.where, free))
    .orderBy(opts.orderBy ?? c.id)
    .limit(opts.limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(opts.table as PgTable)
    .set({ [c.ownerKey]: token, [c.expiresKey]: inMs(opts.ttlMs) })
    .where(inArray(c.id, due))
    .returning();
  return { token, rows: rows as T["$inferSelect"][] };
}

/** Frees the rows matching `where` that `token` still holds; a statement for a db.batch (e.g. with the work's own write). */
export function releaseLease(db: AnyDb, table: PgTable, where: SQL | undefined, token: string): BatchItem<"pg"> {
  const c = leaseColumns(table);
  return db
    .update(table)
    .set({ [c.ownerKey]: null, [c.expiresKey]: null })
    .where(and(where, eq(c.owner, token)));
}

/** Pushes the expiry of `token`'s unexpired lease on the matching rows to now() + ttl; false when it no longer holds any. */
export async function extendLease(db: AnyDb, table: PgTable, where: SQL | undefined, token: string, ttlMs: number): Promise<boolean> {
  const c = leaseColumns(table);
  const rows = await db
    .update(table)
    .set({ [c.expiresKey]: inMs(ttlMs) })
    .where(and(where, eq(c.owner, token), gt(c.expiresAt, sql`now()`)))
    .returning({ id: c.id });
  return rows.length > 0;
}
