/**
 * Idempotent seeding: insert rows that are missing and, for code-owned data, update rows whose seeded
 * columns differ. An unchanged row is not touched at all (its updated_at stays), so seeding twice leaves
 * the database exactly as it was.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export async function upsertRows<T extends PgTable>(
  db: NodePgDatabase<any>,
  table: T,
  rows: T["$inferInsert"][],
  opts: {
    target: PgColumn | PgColumn[];
    /** Columns the seed owns and refreshes; "never" keeps whatever is there (admin-managed data). */
    update: (keyof T["$inferInsert"] & string)[] | "never";
  },
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const insert = db.insert(table).values(rows);
  if (opts.update === "never") {
    const done = await insert.onConflictDoNothing({ target: opts.target }).returning({ one: sql<number>`1` });
    return { inserted: done.length, updated: 0, unchanged: rows.length - done.length };
  }
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const owned = opts.update.map((key) => {
    const col = columns[key];
    if (!col) throw new Error(`upsertRows: no column ${key}`);
    return col;
  });
  const excluded = (col: PgColumn): SQL => sql.raw(`excluded."${col.name.replace(/"/g, '""')}"`);
  const set = Object.fromEntries(owned.map((col, i) => [opts.update[i as number], excluded(col)]));
  const changed = sql`(${sql.join(
    owned.map((c) => sql`${c}`),
    sql`, `,
  )}) IS DISTINCT FROM (${sql.join(owned.map(excluded), sql`, `)})`;
  const done = await insert
    .onConflictDoUpdate({ target: opts.target, set: set as never, setWhere: changed })
    .returning({ inserted: sql<boolean>`xmax = 0` });
  const inserted = done.filter((r) => r.inserted).length;
  return { inserted, updated: done.length - inserted, unchanged: rows.length - done.length };
}

export const describeCounts = (what: string, c: UpsertCounts) =>
  `${what}: ${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`;
