/**
 * The migration and seed machinery: drizzle/ is in step with the schema files, 0001 and 0002 hold only
 * extra indexes (each with its reason next to it in a schema file), migrating twice changes nothing the second
 * time, concurrent migrators apply each migration once, and seeding twice leaves the very same rows.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { seedDatabase } from "../../drizzle/seed/run";
import { createDatabase } from "../local/databases.js";
import { migrateDatabase, migrationsFolder, readJournal } from "../local/migrate.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const MODULES = ["marketing", "blog", "chat", "scheduler", "influencer"];
const MIGRATIONS = [
  "0000_init",
  "0001_extra_indexes",
  "0002_marketing_unique_keys",
  "0003_platform_processed_events",
  "0004_chat_subscription_keys",
  "0005_scheduler_runner",
  "0006_influencer_api",
  "0007_marketing_output_status",
  "0008_chat_stripe_event_order",
  "0009_blog_settings_and_leases",
  "0010_blog_settings_secret_backfill",
  "0011_platform_spend_counters",
];
/** the migrations that add indexes to the module schemas (and tables no seed has, e.g. influencer.trial_reminders) */
const INDEX_MIGRATIONS = ["0001_extra_indexes", "0002_marketing_unique_keys", "0004_chat_subscription_keys", "0006_influencer_api"];
/** schema files drizzle-kit reads (drizzle.config.ts) */
const SCHEMA_FILES = ["functions/*/schema.ts", "src/db/platform-schema.ts"];
const MIGRATION_FILES = MIGRATIONS.map((m) => `${m}.sql`);

async function query<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every object of the module schemas with its oid: a second migration that recreated anything would change it. */
async function catalogSnapshot(url: string) {
  return query(
    url,
    `
    SELECT n.nspname, c.relname, c.relkind, c.oid::int AS oid,
           (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
                              || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
              FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1)
    UNION ALL
    SELECT n.nspname, con.conname, 'constraint', con.oid::int, pg_get_constraintdef(con.oid)
      FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = ANY($1)
    UNION ALL
    SELECT n.nspname, t.typname, 'type', t.oid::int, NULL
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY($1) AND t.typtype = 'e'
    ORDER BY 1, 2, 3`,
    [[...MODULES, "platform"]],
  );
}

const migrationRows = (url: string) =>
  query<{ id: number; hash: string; created_at: string }>(url, "SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id");

/** Every row of every table of the five modules, as JSON text, in a stable order. */
async function allRows(url: string): Promise<Record<string, string[]>> {
  const tables = await query<{ schema: string; name: string }>(
    url,
    `
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    [MODULES],
  );
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const q = `"${t.schema}"."${t.name}"`;
    const rows = await query<{ j: string }>(url, `SELECT row_to_json(r)::text AS j FROM ${q} r ORDER BY 1`);
    out[`${t.schema}.${t.name}`] = rows.map((r) => r.j);
  }
  return out;
}

describe("drizzle/ migrations", () => {
  it("are exactly 0000_init (the seeds' tables) and the index migrations after it, with the files the journal names", () => {
    expect(readJournal().map((e) => e.tag)).toEqual(MIGRATIONS);
    expect(
      readdirSync(migrationsFolder)
        .filter((f) => f.endsWith(".sql"))
        .sort(),
    ).toEqual(MIGRATION_FILES);
  });

  for (const tag of INDEX_MIGRATIONS) {
    const n = tag.slice(0, 4);
    it(`${n} creates indexes, each named with a one-line reason next to it in a schema file (0000 creates none of them), and tables no seed has`, () => {
      const sql = readFileSync(path.join(migrationsFolder, `${tag}.sql`), "utf8");
      const all = sql
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean);
      expect(all.length).toBeGreaterThan(0);
      // A table a module adds beyond its seed (e.g. influencer.trial_reminders): new, never a change to a seed's table.
      const tables = all.filter((s) => s.startsWith("CREATE TABLE"));
      for (const t of tables) expect(t).toMatch(/^CREATE TABLE "[a-z]+"\."[a-z_]+" \(/);
      const statements = all.filter((s) => !s.startsWith("CREATE TABLE"));
      for (const s of statements)
        expect(s).toMatch(/^CREATE (UNIQUE )?INDEX "[^"]+" ON "[a-z]+"\."[^"]+" USING btree \(.+\)( WHERE .+)?;$/);
      const names = statements.map((s) => /^CREATE (?:UNIQUE )?INDEX "([^"]+)"/.exec(s)![1]!);
      const sources = MODULES.map((m) => {
        try {
          return readFileSync(path.join(repo, "functions", m, "schema.ts"), "utf8");
        } catch {
          return "";
        }
      })
        .join("\n")
        .split("\n");
      for (const name of names) {
        const line = sources.find((l) => l.includes(`ndex("${name}")`));
        expect(line, name).toBeDefined();
        expect(line!, name).toMatch(new RegExp(`// \\+${n}: \\S.{10,}$`));
      }
      const m0 = readFileSync(path.join(migrationsFolder, "0000_init.sql"), "utf8");
      for (const name of names) expect(m0).not.toContain(`"${name}"`);
    });
  }

  it("are in step with the schema files: drizzle-kit generate finds nothing to add", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "drizzle-check-"));
    try {
      cpSync(migrationsFolder, path.join(dir, "out"), { recursive: true });
      writeFileSync(
        path.join(dir, "drizzle.config.ts"),
        `export default ${JSON.stringify({
          dialect: "postgresql",
          schema: SCHEMA_FILES.map((f) => path.join(repo, f)),
          out: "./out",
          schemaFilter: [...MODULES, "platform"],
        })};`,
      );
      const { stdout } = await promisify(execFile)(
        path.join(repo, "node_modules/.bin/drizzle-kit"),
        ["generate", "--config", "drizzle.config.ts"],
        { cwd: dir },
      );
      expect(stdout).toContain("No schema changes, nothing to migrate");
      expect(
        readdirSync(path.join(dir, "out"))
          .filter((f) => f.endsWith(".sql"))
          .sort(),
      ).toEqual(MIGRATION_FILES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("migrateDatabase", () => {
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(inject("pgAdminUrl"), "migrate_twice", { recreate: true });
  });

  it("applies every migration to an empty database and records their hashes", async () => {
    const lines: string[] = [];
    await migrateDatabase(url, (l) => lines.push(l));
    const n = MIGRATIONS.length;
    expect(lines[0]).toMatch(
      new RegExp(
        `^migrate postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/migrate_twice: ${n} migration\\(s\\) in drizzle/, ${n} pending$`,
      ),
    );
    expect(lines.slice(1, 1 + n)).toEqual(MIGRATIONS.map((m) => `migrate: applied ${m}`));
    const rows = await migrationRows(url);
    const hash = (tag: string) =>
      createHash("sha256")
        .update(readFileSync(path.join(migrationsFolder, `${tag}.sql`)))
        .digest("hex");
    expect(rows.map((r) => [r.hash, Number(r.created_at)])).toEqual(readJournal().map((e) => [hash(e.tag), e.when]));
    const schemas = await query<{ nspname: string }>(url, "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1", [MODULES]);
    expect(schemas.map((s) => s.nspname)).toEqual([...MODULES].sort());
  });

  it("changes nothing when run a second time: same objects (same oids), same migration rows", async () => {
    const before = await catalogSnapshot(url);
    const rowsBefore = await migrationRows(url);
    expect(before.length).toBeGreaterThan(100);
    const lines: string[] = [];
    await migrateDatabase(url, (l) => lines.push(l));
    expect(lines.slice(1)).toEqual(["migrate: database is up to date"]);
    expect(lines[0]).toMatch(new RegExp(`${MIGRATIONS.length} migration\\(s\\) in drizzle/, 0 pending$`));
    expect(await catalogSnapshot(url)).toEqual(before);
    expect(await migrationRows(url)).toEqual(rowsBefore);
  });

  it("applies each migration once when two processes migrate the same empty database at once", async () => {
    const fresh = await createDatabase(inject("pgAdminUrl"), "migrate_race", { recreate: true });
    await Promise.all([migrateDatabase(fresh, () => {}), migrateDatabase(fresh, () => {})]);
    expect((await migrationRows(fresh)).length).toBe(MIGRATIONS.length);
  });
});

describe("seedDatabase", () => {
  let url: string;
  const first: string[] = [];
  const second: string[] = [];
  let afterFirst: Record<string, string[]>;

  beforeAll(async () => {
    url = await createDatabase(inject("pgAdminUrl"), "seed_twice", { recreate: true });
    await migrateDatabase(url, () => {});
    await seedDatabase(url, (l) => first.push(l));
    afterFirst = await allRows(url);
    await seedDatabase(url, (l) => second.push(l));
  });

  it("prints what each module's seed did", () => {
    expect(first.filter((l) => !l.startsWith("seed "))).toEqual([
      "marketing.skills: 10 inserted, 0 updated, 0 unchanged",
      "blog.agent_model_configs: 6 inserted, 0 updated, 0 unchanged",
      "blog.app_settings: 1 inserted, 0 updated, 0 unchanged",
      "chat.agent_tools (system): 6 inserted, 0 updated, 0 unchanged",
      "scheduler: no reference data to seed",
      "influencer.system_configurations: 9 inserted, 0 updated, 0 unchanged",
    ]);
    expect(first.filter((l) => l.startsWith("seed ")).map((l) => l.replace(/ in \d+ ms$/, ""))).toEqual(
      MODULES.map((m) => `seed ${m}: done`),
    );
  });

  it("writes the documented rows and nothing else", () => {
    const counts = Object.fromEntries(
      Object.entries(afterFirst)
        .filter(([, r]) => r.length > 0)
        .map(([t, r]) => [t, r.length]),
    );
    expect(counts).toEqual({
      "marketing.skills": 10,
      "blog.agent_model_configs": 6,
      "blog.app_settings": 1,
      "chat.agent_tools": 6,
      "influencer.system_configurations": 9,
    });
  });

  it("leaves every row exactly as it was when run a second time (ids and updated_at included)", async () => {
    expect(second.filter((l) => !l.startsWith("seed "))).toEqual([
      "marketing.skills: 0 inserted, 0 updated, 10 unchanged",
      "blog.agent_model_configs: 0 inserted, 0 updated, 6 unchanged",
      "blog.app_settings: 0 inserted, 0 updated, 1 unchanged",
      "chat.agent_tools (system): 0 inserted, 0 updated, 6 unchanged",
      "scheduler: no reference data to seed",
      "influencer.system_configurations: 0 inserted, 0 updated, 9 unchanged",
    ]);
    expect(await allRows(url)).toEqual(afterFirst);
  });

  it("seeds the skills of seed 000: the two given in full, and related skills that all exist", async () => {
    const skills = await query<{
      name: string;
      type: string;
      s3_key: string;
      has_rules: boolean;
      trigger_keywords: string[];
      related_skills: string[];
    }>(url, "SELECT name, type, s3_key, has_rules, trigger_keywords, related_skills FROM marketing.skills ORDER BY name");
    const byName = new Map(skills.map((s) => [s.name, s]));
    expect(byName.get("copywriting")).toEqual({
      name: "copywriting",
      type: "with_rules",
      s3_key: "skills/copywriting/",
      has_rules: true,
      trigger_keywords: [
        "write copy",
        "rewrite",
        "marketing copy",
        "headline",
        "CTA",
        "homepage copy",
        "landing page copy",
        "pricing page",
        "feature page",
      ],
      related_skills: ["copy-editing", "page-cro", "email-sequence", "popup-cro", "ab-test-setup"],
    });
    expect(byName.get("email-sequence")?.related_skills).toEqual(["copywriting", "onboarding-cro"]);
    for (const s of skills) {
      expect(["simple", "with_rules", "complex"]).toContain(s.type);
      expect(s.s3_key).toBe(`skills/${s.name}/`);
      expect(s.trigger_keywords.length).toBeGreaterThan(0);
      for (const r of s.related_skills) expect(byName.has(r), `${s.name} → ${r}`).toBe(true);
    }
  });

  it("writes a changed skill back on the next run and bumps only its updated_at", async () => {
    await query(url, "UPDATE marketing.skills SET description = 'stale', updated_at = '2000-01-01' WHERE name = 'page-cro'");
    const lines: string[] = [];
    await seedDatabase(url, (l) => lines.push(l));
    expect(lines[0]).toBe("marketing.skills: 0 inserted, 1 updated, 9 unchanged");
    const rows = await query<{ name: string; description: string; updated_at: Date }>(
      url,
      "SELECT name, description, updated_at FROM marketing.skills WHERE name IN ('page-cro', 'copywriting') ORDER BY name",
    );
    expect(rows[1]!.description).toMatch(/^Audit and improve conversion/);
    expect(rows[1]!.updated_at.getTime()).toBeGreaterThan(new Date("2001-01-01").getTime());
    const copywriting = (rows: string[]) => rows.find((j) => j.includes('"name":"copywriting"'));
    expect(copywriting((await allRows(url))["marketing.skills"]!)).toBe(copywriting(afterFirst["marketing.skills"]!));
  });
});
