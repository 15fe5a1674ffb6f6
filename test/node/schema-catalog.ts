/**
 * Reads what a migrated database really holds (pg_catalog), so that schema tests can
 * compare it with expectations written by hand from the seed documents.
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase } from "../local/databases.js";
import { migrateDatabase } from "../local/migrate.js";

export interface Catalog {
  tables: string[];
  /** key "table.column" */
  columns: Map<string, { type: string; nullable: boolean; default: string | null }>;
  /** contype: p primary, u unique, f foreign, c check */
  constraints: { name: string; table: string; type: "p" | "u" | "f" | "c" | "x"; def: string }[];
  indexes: { name: string; table: string; def: string; unique: boolean }[];
  enums: Map<string, string[]>;
}

export async function readCatalog(url: string, schema: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r','p') ORDER BY 1`,
      [schema],
    );
    const cols = await client.query<{ t: string; c: string; type: string; notnull: boolean; def: string | null }>(
      `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type,
              a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r','p')
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
      [schema],
    );
    const cons = await client.query<{ name: string; t: string; type: Catalog["constraints"][number]["type"]; def: string }>(
      `SELECT con.conname AS name, c.relname AS t, con.contype AS type, pg_get_constraintdef(con.oid) AS def
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
      [schema],
    );
    const idx = await client.query<{ name: string; t: string; def: string; unique: boolean }>(
      `SELECT i.indexname AS name, i.tablename AS t, i.indexdef AS def, ix.indisunique AS unique
         FROM pg_indexes i
         JOIN pg_class ic ON ic.relname = i.indexname
         JOIN pg_namespace n ON n.oid = ic.relnamespace AND n.nspname = i.schemaname
         JOIN pg_index ix ON ix.indexrelid = ic.oid
        WHERE i.schemaname = $1`,
      [schema],
    );
    const enums = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 GROUP BY t.typname`,
      [schema],
    );
    return {
      tables: tables.rows.map((r) => r.relname),
      columns: new Map(cols.rows.map((r) => [`${r.t}.${r.c}`, { type: r.type, nullable: !r.notnull, default: r.def }])),
      constraints: cons.rows.map((r) => ({ name: r.name, table: r.t, type: r.type, def: r.def })),
      indexes: idx.rows.map((r) => ({ name: r.name, table: r.t, def: r.def, unique: r.unique })),
      enums: new Map(enums.rows.map((r) => [r.name, r.labels])),
    };
  } finally {
    await client.end();
  }
}

/**
 * One expected column: [table, column, type as format_type() prints it, "null" | "not null", default expression or null].
 * A default given as a RegExp is matched against pg_get_expr() output (e.g. /^now\(\)$/).
 */
export type ColumnRow = [string, string, string, "null" | "not null", (string | RegExp | null)?];

/** Returns a readable line per mismatch; tests assert the list is empty. */
export function columnMismatches(cat: Catalog, rows: ColumnRow[]): string[] {
  const out: string[] = [];
  for (const [table, column, type, nullability, def] of rows) {
    const got = cat.columns.get(`${table}.${column}`);
    if (!got) {
      out.push(`${table}.${column}: missing`);
      continue;
    }
    if (got.type !== type) out.push(`${table}.${column}: type ${got.type}, expected ${type}`);
    if (got.nullable !== (nullability === "null")) out.push(`${table}.${column}: nullable=${got.nullable}, expected ${nullability}`);
    if (def !== undefined) {
      const ok = def === null ? got.default === null : def instanceof RegExp ? def.test(got.default ?? "") : got.default === def;
      if (!ok) out.push(`${table}.${column}: default ${got.default}, expected ${String(def)}`);
    }
  }
  return out;
}

/** Columns the database has but the expectations do not name (catches invented columns). */
export function unexpectedColumns(cat: Catalog, rows: ColumnRow[], tables: string[]): string[] {
  const named = new Set(rows.map(([t, c]) => `${t}.${c}`));
  return [...cat.columns.keys()].filter((k) => tables.includes(k.split(".")[0]!) && !named.has(k));
}

/** Index names the documents list, checked for existence and (optionally) a fragment of their definition. */
export function indexMismatches(cat: Catalog, rows: [string, string, (string | RegExp)?][]): string[] {
  const out: string[] = [];
  for (const [table, name, fragment] of rows) {
    const got = cat.indexes.find((i) => i.name === name);
    if (!got) {
      out.push(`index ${name} on ${table}: missing`);
      continue;
    }
    if (got.table !== table) out.push(`index ${name}: on ${got.table}, expected ${table}`);
    if (fragment !== undefined) {
      const ok = fragment instanceof RegExp ? fragment.test(got.def) : got.def.includes(fragment);
      if (!ok) out.push(`index ${name}: definition ${got.def} lacks ${String(fragment)}`);
    }
  }
  return out;
}

/** Constraints by table and kind, matched on a fragment of pg_get_constraintdef(). */
export function constraintMismatches(
  cat: Catalog,
  rows: [string, Catalog["constraints"][number]["type"], string | RegExp, string?][],
): string[] {
  const out: string[] = [];
  for (const [table, type, fragment, name] of rows) {
    const hit = cat.constraints.find(
      (c) =>
        c.table === table &&
        c.type === type &&
        (name === undefined || c.name === name) &&
        (fragment instanceof RegExp ? fragment.test(c.def) : c.def.includes(fragment)),
    );
    if (!hit) out.push(`${table}: no ${type} constraint${name ? ` named ${name}` : ""} matching ${String(fragment)}`);
  }
  return out;
}

/** SQLSTATE and constraint name of a failed query (drizzle wraps the driver error in `cause`); "no error" if it succeeded. */
export async function pgError(p: Promise<unknown>): Promise<{ code: string; constraint: string | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
    return { code: e.code ?? "none", constraint: e.constraint };
  }
  return { code: "no error", constraint: undefined };
}

export interface MigratedSchema<S extends Record<string, unknown>> {
  url: string;
  cat: Catalog;
  db: NodePgDatabase<S>;
  pool: pg.Pool;
}

/**
 * A fresh database per test file, migrated from drizzle/, with the catalog of one namespace read and a
 * drizzle client on it; `set` receives them in beforeAll, the pool is closed in afterAll.
 */
export function useMigratedSchema<S extends Record<string, unknown>>(
  database: string,
  namespace: string,
  schema: S,
  set: (fx: MigratedSchema<S>) => void,
): void {
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    const url = await createDatabase(inject("pgAdminUrl"), database, { recreate: true });
    await migrateDatabase(url, () => {});
    const cat = await readCatalog(url, namespace);
    pool = new pg.Pool({ connectionString: url, max: 2 });
    set({ url, cat, db: drizzle(pool, { schema }), pool });
  });
  afterAll(async () => {
    await pool?.end();
  });
}

type ConstraintRow = Parameters<typeof constraintMismatches>[1][number];
type IndexRow = Parameters<typeof indexMismatches>[1][number];

/** What a module's migrated schema must hold, written by hand from its seed document. */
export interface CatalogExpectation {
  tables: string[];
  /** enum types with their labels in order, sorted by name; none when absent */
  enums?: [string, string[]][];
  columns: ColumnRow[];
  /** every primary key, unique, foreign key and check constraint, each with its name */
  constraints: ConstraintRow[];
  /** every index that no key constraint backs (the seed's and our migrations') */
  indexes: IndexRow[];
  /** the unique ones among `indexes` */
  uniqueIndexes?: string[];
}

/** The catalog block every schema suite runs: exactly these tables, enums, columns, constraints and indexes, and nothing else. */
export function describeCatalog(module: string, getCatalog: () => Catalog, want: CatalogExpectation): void {
  describe(`${module} catalog`, () => {
    it("has exactly the expected tables and enum types", () => {
      const cat = getCatalog();
      expect(cat.tables).toEqual(want.tables);
      expect([...cat.enums.entries()].sort(([a], [b]) => a.localeCompare(b))).toEqual(want.enums ?? []);
    });

    it("has every documented column with its type, nullability and default, and no others", () => {
      expect(columnMismatches(getCatalog(), want.columns)).toEqual([]);
      expect(unexpectedColumns(getCatalog(), want.columns, want.tables)).toEqual([]);
    });

    it("has the keys, unique constraints, foreign keys and checks, and no others", () => {
      const cat = getCatalog();
      expect(constraintMismatches(cat, want.constraints)).toEqual([]);
      const got = cat.constraints.filter((c) => ["p", "u", "f", "c"].includes(c.type)).map((c) => `${c.table}:${c.type}:${c.name}`);
      expect(got.sort()).toEqual(want.constraints.map(([t, type, , name]) => `${t}:${type}:${name}`).sort());
    });

    it("has the expected indexes and none beyond those and the keys", () => {
      const cat = getCatalog();
      expect(indexMismatches(cat, want.indexes)).toEqual([]);
      const keyBacked = want.constraints.filter(([, type]) => type === "p" || type === "u").map(([, , , name]) => name);
      expect(cat.indexes.map((i) => i.name).sort()).toEqual([...want.indexes.map((i) => i[1]), ...keyBacked].sort());
      expect(
        cat.indexes
          .filter((i) => i.unique)
          .map((i) => i.name)
          .sort(),
      ).toEqual([...keyBacked, ...(want.uniqueIndexes ?? [])].sort());
    });
  });
}
