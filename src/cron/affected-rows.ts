/**
 * How many rows a sweep's DELETE/UPDATE … RETURNING touched, without sending them back: the statement runs as
 * `WITH done AS (<statement>) SELECT count(*) FROM done`, so one row crosses the wire instead of one per row
 * (5000 ids per batch would be ~200 KB of JSON to encode in Postgres's proxy and decode in the isolate).
 */
import { type SQLWrapper, sql } from "drizzle-orm";
import type { AnyDb } from "../db/client";

/** `statement` must have a RETURNING clause (any column): a CTE without one has no rows to count. */
export async function affectedRows(db: AnyDb, statement: SQLWrapper): Promise<number> {
  const res = await db.execute(sql`WITH done AS ${statement} SELECT count(*)::int AS n FROM done`);
  return Number((res.rows[0] as { n?: number } | undefined)?.n ?? 0);
}
