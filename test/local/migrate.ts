/**
 * Applies the generated migrations in drizzle/ (drizzle-kit's journal) to a database.
 * Used by `npm run db:migrate`, `npm run dev` and the tests. Runs under an advisory lock so two
 * processes migrating the same database at once apply each migration only once.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));
/** Where drizzle's migrator records what it applied. */
export const migrationsTable = { schema: "drizzle", table: "__drizzle_migrations" } as const;

const LOCK_KEY = 7_140_001; // arbitrary, constant: the advisory lock that serialises migrators

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export function readJournal(): JournalEntry[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: JournalEntry[] };
  return journal.entries;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function lastApplied(client: pg.Client): Promise<number | null> {
  const qualified = `${migrationsTable.schema}.${migrationsTable.table}`;
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [qualified]);
  if (!exists.rows[0]?.t) return null;
  const { rows } = await client.query<{ created_at: string | null }>(`SELECT max(created_at)::text AS created_at FROM ${qualified}`);
  const v = rows[0]?.created_at;
  return v == null ? null : Number(v);
}

export async function migrateDatabase(url: string, log: (line: string) => void = console.log): Promise<void> {
  const entries = readJournal();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    const before = await lastApplied(client);
    const pending = entries.filter((e) => before === null || e.when > before);
    log(`migrate ${redactUrl(url)}: ${entries.length} migration(s) in drizzle/, ${pending.length} pending`);
    if (pending.length === 0) {
      log("migrate: database is up to date");
      return;
    }
    const started = Date.now();
    await migrate(drizzle(client), {
      migrationsFolder,
      migrationsSchema: migrationsTable.schema,
      migrationsTable: migrationsTable.table,
    });
    for (const e of pending) log(`migrate: applied ${e.tag}`);
    log(`migrate: done in ${Date.now() - started} ms`);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
