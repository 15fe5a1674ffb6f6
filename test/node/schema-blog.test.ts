/**
 * The blog module as migrated, compared with expectations written by hand from seed 001's column tables
 * (not derived from functions/blog/schema.ts), plus its seed rows, its loose links and validation.
 */
import { eq, inArray } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { seedBlog } from "../../functions/blog/seed";
import * as schema from "../../functions/blog/db-schema";
import {
  canMoveBlogSession,
  insertAgentModelConfigSchema,
  insertBlogSessionSchema,
  listBlogSessionsQuerySchema,
  patchBlogSessionSchema,
  selectedDressIdsSchema,
} from "../../functions/blog/validation";
import { describeCatalog, type Catalog, type ColumnRow, useMigratedSchema } from "./schema-catalog.js";

const { agentModelConfigs, appSettings, blogSessions, brandVoiceCache, cachedDresses } = schema;

const TABLES = ["agent_model_configs", "app_settings", "blog_sessions", "brand_voice_cache", "cached_dresses"];
const TS = "timestamp without time zone";
const NOW = "now()";
const serial = (t: string) => `nextval('blog.${t}_id_seq'::regclass)`;

const COLUMNS: ColumnRow[] = [
  ["agent_model_configs", "id", "integer", "not null", serial("agent_model_configs")],
  ["agent_model_configs", "agent_id", "text", "not null", null],
  ["agent_model_configs", "agent_label", "text", "not null", null],
  ["agent_model_configs", "model_id", "text", "not null", null],
  ["agent_model_configs", "temperature", "text", "null", "'0.7'::text"],
  ["agent_model_configs", "max_tokens", "text", "null", "'4096'::text"],
  ["agent_model_configs", "created_at", TS, "not null", NOW],
  ["agent_model_configs", "updated_at", TS, "not null", NOW],

  ["cached_dresses", "id", "integer", "not null", serial("cached_dresses")],
  ["cached_dresses", "external_id", "text", "not null", null],
  ["cached_dresses", "name", "text", "not null", null],
  ["cached_dresses", "designer", "text", "null", null],
  ["cached_dresses", "description", "text", "null", null],
  ["cached_dresses", "price", "text", "null", null],
  ["cached_dresses", "image_url", "text", "null", null],
  ["cached_dresses", "category", "text", "null", null],
  ["cached_dresses", "tags", "text", "null", null],
  ["cached_dresses", "raw_data", "text", "null", null],
  ["cached_dresses", "cached_at", TS, "not null", NOW],
  ["cached_dresses", "expires_at", TS, "not null", null],

  // "PK, DEFAULT uuid": a database default, so SQL inserts get an id too.
  ["blog_sessions", "id", "text", "not null", "(gen_random_uuid())::text"],
  ["blog_sessions", "store_url", "text", "null", null],
  ["blog_sessions", "brand_voice", "text", "null", null],
  ["blog_sessions", "selected_dress_ids", "text", "null", null],
  ["blog_sessions", "additional_instructions", "text", "null", null],
  ["blog_sessions", "status", "text", "not null", "'draft'::text"],
  ["blog_sessions", "generated_blog", "text", "null", null],
  ["blog_sessions", "seo_metadata", "text", "null", null],
  ["blog_sessions", "agent_log", "text", "null", null],
  ["blog_sessions", "created_at", TS, "not null", NOW],
  ["blog_sessions", "updated_at", TS, "not null", NOW],
  ["blog_sessions", "lease_owner", "text", "null", null],
  ["blog_sessions", "lease_expires_at", TS, "null", null],

  ["brand_voice_cache", "id", "integer", "not null", serial("brand_voice_cache")],
  ["brand_voice_cache", "url", "text", "not null", null],
  ["brand_voice_cache", "analysis_result", "text", "not null", null],
  ["brand_voice_cache", "cached_at", TS, "not null", NOW],
  ["brand_voice_cache", "expires_at", TS, "not null", null],

  ["app_settings", "id", "integer", "not null", serial("app_settings")],
  ["app_settings", "key", "text", "not null", null],
  ["app_settings", "value", "text", "not null", null],
  ["app_settings", "updated_at", TS, "not null", NOW],
  ["app_settings", "is_secret", "boolean", "not null", "false"],
];

// "No foreign key constraints between tables": only keys and the documented UNIQUEs.
const CONSTRAINTS: [string, Catalog["constraints"][number]["type"], string, string][] = [
  ...TABLES.map((t): [string, "p", string, string] => [t, "p", "PRIMARY KEY (id)", `${t}_pkey`]),
  ["agent_model_configs", "u", "UNIQUE (agent_id)", "agent_model_configs_agent_id_unique"],
  ["cached_dresses", "u", "UNIQUE (external_id)", "cached_dresses_external_id_unique"],
  ["brand_voice_cache", "u", "UNIQUE (url)", "brand_voice_cache_url_unique"],
  ["app_settings", "u", "UNIQUE (key)", "app_settings_key_unique"],
];

// The seed names no index; these are ours, from migration 0001.
const EXTRA_INDEXES: [string, string, string][] = [
  ["cached_dresses", "cached_dresses_expires_at_idx", "USING btree (expires_at)"],
  ["brand_voice_cache", "brand_voice_cache_expires_at_idx", "USING btree (expires_at)"],
  ["blog_sessions", "blog_sessions_created_at_idx", "USING btree (created_at)"],
  ["blog_sessions", "blog_sessions_generating_updated_at_idx", "USING btree (updated_at) WHERE (status = 'generating'::text)"],
  ["blog_sessions", "blog_sessions_draft_updated_at_idx", "USING btree (updated_at) WHERE (status = 'draft'::text)"],
];

let cat: Catalog;
let client: pg.Pool;
let db: NodePgDatabase<typeof schema>;
useMigratedSchema("schema_blog", "blog", schema, (fx) => {
  ({ cat, db, pool: client } = fx);
});

describeCatalog("blog", () => cat, { tables: TABLES, columns: COLUMNS, constraints: CONSTRAINTS, indexes: EXTRA_INDEXES });

describe("seedBlog", () => {
  const lines: string[] = [];
  beforeAll(async () => {
    await seedBlog(db, (l) => lines.push(l));
  });

  it("writes the six agent model configs of the seed's table, max_tokens from the column default", async () => {
    const rows = await db.select().from(agentModelConfigs).orderBy(agentModelConfigs.id);
    const model = "openrouter/anthropic/claude-sonnet-4-5-20250929";
    expect(rows.map((r) => [r.agentId, r.agentLabel, r.modelId, r.temperature, r.maxTokens])).toEqual([
      ["brand-voice-analyzer", "Brand Voice Analyzer", model, "0.5", "4096"],
      ["blog-writer", "Blog Writer", model, "0.8", "4096"],
      ["blog-editor", "Blog Editor", model, "0.5", "4096"],
      ["seo-specialist", "SEO Specialist", model, "0.4", "4096"],
      ["senior-editor", "Senior Editor", model, "0.5", "4096"],
      ["blog-reviewer", "Blog Reviewer", model, "0.3", "4096"],
    ]);
    expect(lines).toContain("blog.agent_model_configs: 6 inserted, 0 updated, 0 unchanged");
  });

  it("writes openrouter_api_key with an empty value, and never overwrites what an admin set", async () => {
    expect(await db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings)).toEqual([
      { key: "openrouter_api_key", value: "" },
    ]);
    await db.update(appSettings).set({ value: "sk-or-admin-set" }).where(eq(appSettings.key, "openrouter_api_key"));
    await db.update(agentModelConfigs).set({ temperature: "0.9" }).where(eq(agentModelConfigs.agentId, "blog-writer"));
    const again: string[] = [];
    await seedBlog(db, (l) => again.push(l));
    expect(again).toEqual([
      "blog.agent_model_configs: 0 inserted, 0 updated, 6 unchanged",
      "blog.app_settings: 0 inserted, 0 updated, 1 unchanged",
    ]);
    const [setting] = await db.select().from(appSettings);
    expect(setting!.value).toBe("sk-or-admin-set");
    const [writer] = await db.select().from(agentModelConfigs).where(eq(agentModelConfigs.agentId, "blog-writer"));
    expect(writer!.temperature).toBe("0.9");
  });
});

describe("blog defaults and loose links", () => {
  it("gives a new session a uuid text id and status draft, from SQL as well as from Drizzle", async () => {
    const [s] = await db.insert(blogSessions).values({}).returning();
    expect(s!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(s!.status).toBe("draft");
    const raw = await client.query<{ id: string; status: string }>("INSERT INTO blog.blog_sessions DEFAULT VALUES RETURNING id, status");
    expect(raw.rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(raw.rows[0]!.status).toBe("draft");
  });

  it("loads a session with the brand voice cached for its store_url, and null when none is", async () => {
    const expires = new Date("2030-01-01T00:00:00Z");
    await db.insert(brandVoiceCache).values({ url: "https://bridal.example", analysisResult: '{"tone":"warm"}', expiresAt: expires });
    const [withVoice] = await db.insert(blogSessions).values({ storeUrl: "https://bridal.example" }).returning();
    const [without] = await db.insert(blogSessions).values({ storeUrl: "https://other.example" }).returning();
    const a = await db.query.blogSessions.findFirst({ where: eq(blogSessions.id, withVoice!.id), with: { brandVoice: true } });
    expect(a!.brandVoice?.analysisResult).toBe('{"tone":"warm"}');
    expect(a!.brandVoice?.expiresAt).toEqual(expires);
    const b = await db.query.blogSessions.findFirst({ where: eq(blogSessions.id, without!.id), with: { brandVoice: true } });
    expect(b!.brandVoice).toBeNull();
    const cache = await db.query.brandVoiceCache.findFirst({
      where: eq(brandVoiceCache.url, "https://bridal.example"),
      with: { sessions: true },
    });
    expect(cache!.sessions.map((s) => s.id)).toEqual([withVoice!.id]);
  });

  it("resolves selected_dress_ids (JSON text) to cached dresses by external_id", async () => {
    const expiresAt = new Date("2030-01-02T00:00:00Z");
    await db.insert(cachedDresses).values([
      { externalId: "d-1", name: "Aurora", tags: '["A-line"]', expiresAt },
      { externalId: "d-2", name: "Bella", expiresAt },
      { externalId: "d-3", name: "Cara", expiresAt },
    ]);
    const [s] = await db.insert(blogSessions).values({ selectedDressIds: '["d-3","d-1"]' }).returning();
    const ids = selectedDressIdsSchema.parse(JSON.parse(s!.selectedDressIds!));
    const dresses = await db.select().from(cachedDresses).where(inArray(cachedDresses.externalId, ids)).orderBy(cachedDresses.externalId);
    expect(dresses.map((d) => d.name)).toEqual(["Aurora", "Cara"]);
  });
});

describe("blog validation", () => {
  it("knows the session statuses and their lifecycle", () => {
    for (const s of ["draft", "generating", "completed", "failed"])
      expect(patchBlogSessionSchema.safeParse({ status: s }).success).toBe(true);
    expect(patchBlogSessionSchema.safeParse({ status: "published" }).success).toBe(false);
    expect(canMoveBlogSession("draft", "generating")).toBe(true);
    expect(canMoveBlogSession("generating", "failed")).toBe(true);
    expect(canMoveBlogSession("draft", "completed")).toBe(false);
    expect(canMoveBlogSession("completed", "generating")).toBe(false);
  });

  it("demands JSON text of the documented shape in the JSON-bearing text columns", () => {
    expect(insertBlogSessionSchema.safeParse({ selectedDressIds: '["d-1"]' }).success).toBe(true);
    expect(insertBlogSessionSchema.safeParse({ selectedDressIds: "d-1" }).success).toBe(false);
    expect(insertBlogSessionSchema.safeParse({ selectedDressIds: "[1]" }).success).toBe(false);
    expect(insertBlogSessionSchema.safeParse({ seoMetadata: '{"title":"t","description":"d","keywords":["k"]}' }).success).toBe(true);
    expect(insertBlogSessionSchema.safeParse({ seoMetadata: '{"title":"t"}' }).success).toBe(false);
    expect(insertBlogSessionSchema.safeParse({ storeUrl: "ftp://x.example" }).success).toBe(false);
  });

  it("reads temperature and max_tokens text as numbers in range", () => {
    const base = { agentId: "blog-writer", agentLabel: "Blog Writer", modelId: "m" };
    expect(insertAgentModelConfigSchema.safeParse({ ...base, temperature: "0.7", maxTokens: "4096" }).success).toBe(true);
    expect(insertAgentModelConfigSchema.safeParse({ ...base, temperature: "2.5" }).success).toBe(false);
    expect(insertAgentModelConfigSchema.safeParse({ ...base, temperature: "warm" }).success).toBe(false);
    expect(insertAgentModelConfigSchema.safeParse({ ...base, maxTokens: "0" }).success).toBe(false);
    expect(insertAgentModelConfigSchema.safeParse({ ...base, agentId: "Blog Writer" }).success).toBe(false);
  });

  it("caps pageSize at 100", () => {
    expect(listBlogSessionsQuerySchema.safeParse({ pageSize: 100 }).success).toBe(true);
    expect(listBlogSessionsQuerySchema.safeParse({ pageSize: 101 }).success).toBe(false);
  });
});
