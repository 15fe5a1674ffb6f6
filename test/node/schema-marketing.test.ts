/**
 * The marketing module as migrated, compared with expectations written by hand from seed 000's Drizzle
 * code and its "Indexes Summary" (not derived from functions/marketing/schema.ts), plus its defaults,
 * foreign keys, the seed's relational query and the validation vocabularies.
 */
import { desc, eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../functions/marketing/db-schema";
import {
  insertFeedbackSchema,
  insertRunSchema,
  insertSkillSchema,
  listRunsQuerySchema,
  patchRunSchema,
  canMoveRun,
} from "../../functions/marketing/validation";
import { describeCatalog, type Catalog, type ColumnRow, pgError, useMigratedSchema } from "./schema-catalog.js";

const { users, userChannels, clients, skills, runs, outputs, feedback } = schema;

const TABLES = ["clients", "feedback", "outputs", "runs", "skills", "user_channels", "users"];
const TS = "timestamp without time zone";
const NOW = "now()";
const UUID = "gen_random_uuid()";
const vc = (n: number) => `character varying(${n})`;

const COLUMNS: ColumnRow[] = [
  ["users", "id", "uuid", "not null", UUID],
  ["users", "email", vc(255), "null", null],
  ["users", "api_key", vc(64), "not null", null],
  ["users", "api_key_hash", vc(128), "not null", null],
  ["users", "created_at", TS, "not null", NOW],
  ["users", "updated_at", TS, "not null", NOW],

  ["user_channels", "id", "uuid", "not null", UUID],
  ["user_channels", "user_id", "uuid", "not null", null],
  ["user_channels", "channel", vc(50), "not null", null],
  ["user_channels", "channel_user_id", vc(255), "not null", null],
  ["user_channels", "channel_username", vc(255), "null", null],
  ["user_channels", "linked_at", TS, "not null", NOW],

  ["clients", "id", "uuid", "not null", UUID],
  ["clients", "user_id", "uuid", "not null", null],
  ["clients", "name", vc(100), "not null", null],
  ["clients", "slug", vc(100), "not null", null],
  ["clients", "description", "text", "null", null],
  ["clients", "s3_prefix", vc(500), "not null", null],
  ["clients", "created_at", TS, "not null", NOW],
  ["clients", "updated_at", TS, "not null", NOW],

  ["skills", "id", "uuid", "not null", UUID],
  ["skills", "name", vc(100), "not null", null],
  ["skills", "description", "text", "not null", null],
  ["skills", "type", vc(20), "not null", null],
  ["skills", "s3_key", vc(500), "not null", null],
  ["skills", "has_rules", "boolean", "not null", "false"],
  ["skills", "has_subdirectories", "boolean", "not null", "false"],
  ["skills", "trigger_keywords", "jsonb", "not null", null],
  ["skills", "related_skills", "jsonb", "null", "'[]'::jsonb"],
  ["skills", "created_at", TS, "not null", NOW],
  ["skills", "updated_at", TS, "not null", NOW],

  ["runs", "id", "uuid", "not null", UUID],
  ["runs", "user_id", "uuid", "not null", null],
  ["runs", "skill_id", "uuid", "not null", null],
  ["runs", "client_id", "uuid", "null", null],
  ["runs", "status", vc(20), "not null", "'queued'::character varying"],
  ["runs", "user_message", "text", "not null", null],
  ["runs", "inngest_event_id", vc(100), "null", null],
  ["runs", "tokens_input", "integer", "null", null],
  ["runs", "tokens_output", "integer", "null", null],
  ["runs", "error_message", "text", "null", null],
  ["runs", "metadata", "text", "null", null],
  ["runs", "queued_at", TS, "not null", NOW],
  ["runs", "started_at", TS, "null", null],
  ["runs", "completed_at", TS, "null", null],

  ["outputs", "id", "uuid", "not null", UUID],
  ["outputs", "run_id", "uuid", "not null", null],
  ["outputs", "s3_key", vc(500), "not null", null],
  ["outputs", "format", vc(20), "not null", "'markdown'::character varying"],
  ["outputs", "title", vc(255), "null", null],
  ["outputs", "preview", "text", "null", null],
  ["outputs", "size_bytes", "integer", "null", null],
  ["outputs", "status", vc(20), "not null", "'stored'::character varying"],
  ["outputs", "created_at", TS, "not null", NOW],

  ["feedback", "id", "uuid", "not null", UUID],
  ["feedback", "output_id", "uuid", "not null", null],
  ["feedback", "accuracy_score", "integer", "null", null],
  ["feedback", "quality_score", "integer", "null", null],
  ["feedback", "usefulness_score", "integer", "null", null],
  ["feedback", "rule_compliance_score", "integer", "null", null],
  ["feedback", "overall_score", "integer", "not null", null],
  ["feedback", "what_worked_well", "text", "null", null],
  ["feedback", "issues", "jsonb", "null", "'[]'::jsonb"],
  ["feedback", "suggested_rule_changes", "jsonb", "null", "'[]'::jsonb"],
  ["feedback", "source", vc(50), "not null", null],
  ["feedback", "reviewer_name", vc(100), "null", null],
  ["feedback", "created_at", TS, "not null", NOW],
];

// The seed's `.references()` carry no onDelete: NO ACTION, which pg_get_constraintdef prints as nothing.
const CONSTRAINTS: [string, Catalog["constraints"][number]["type"], string | RegExp, string][] = [
  ...TABLES.map((t): [string, "p", string, string] => [t, "p", "PRIMARY KEY (id)", `${t}_pkey`]),
  ["users", "u", "UNIQUE (email)", "users_email_unique"],
  ["users", "u", "UNIQUE (api_key)", "users_api_key_unique"],
  ["skills", "u", "UNIQUE (name)", "skills_name_unique"],
  ["user_channels", "f", /^FOREIGN KEY \(user_id\) REFERENCES marketing\.users\(id\)$/, "user_channels_user_id_users_id_fk"],
  ["clients", "f", /^FOREIGN KEY \(user_id\) REFERENCES marketing\.users\(id\)$/, "clients_user_id_users_id_fk"],
  ["runs", "f", /^FOREIGN KEY \(user_id\) REFERENCES marketing\.users\(id\)$/, "runs_user_id_users_id_fk"],
  ["runs", "f", /^FOREIGN KEY \(skill_id\) REFERENCES marketing\.skills\(id\)$/, "runs_skill_id_skills_id_fk"],
  ["runs", "f", /^FOREIGN KEY \(client_id\) REFERENCES marketing\.clients\(id\)$/, "runs_client_id_clients_id_fk"],
  ["outputs", "f", /^FOREIGN KEY \(run_id\) REFERENCES marketing\.runs\(id\)$/, "outputs_run_id_runs_id_fk"],
  ["feedback", "f", /^FOREIGN KEY \(output_id\) REFERENCES marketing\.outputs\(id\)$/, "feedback_output_id_outputs_id_fk"],
];

// Every index the seed's code declares (its Indexes Summary lists a subset of these).
const SEED_INDEXES: [string, string, string][] = [
  ["users", "users_email_idx", "USING btree (email)"],
  ["users", "users_api_key_idx", "USING btree (api_key)"],
  ["user_channels", "user_channels_user_id_idx", "USING btree (user_id)"],
  ["user_channels", "user_channels_lookup_idx", "USING btree (channel, channel_user_id)"],
  ["clients", "clients_user_id_idx", "USING btree (user_id)"],
  ["clients", "clients_slug_idx", "USING btree (slug)"],
  ["skills", "skills_name_idx", "USING btree (name)"],
  ["skills", "skills_type_idx", "USING btree (type)"],
  ["runs", "runs_user_id_idx", "USING btree (user_id)"],
  ["runs", "runs_skill_id_idx", "USING btree (skill_id)"],
  ["runs", "runs_client_id_idx", "USING btree (client_id)"],
  ["runs", "runs_status_idx", "USING btree (status)"],
  ["runs", "runs_queued_at_idx", "USING btree (queued_at)"],
  ["outputs", "outputs_run_id_idx", "USING btree (run_id)"],
  ["outputs", "outputs_s3_key_idx", "USING btree (s3_key)"],
  ["outputs", "outputs_created_at_idx", "USING btree (created_at)"],
  ["feedback", "feedback_output_id_idx", "USING btree (output_id)"],
  ["feedback", "feedback_overall_score_idx", "USING btree (overall_score)"],
  ["feedback", "feedback_created_at_idx", "USING btree (created_at)"],
];

// Ours, from migrations 0001 and 0002.
const EXTRA_INDEXES: [string, string, string][] = [
  ["runs", "runs_user_id_queued_at_idx", "USING btree (user_id, queued_at)"],
  [
    "runs",
    "runs_in_flight_queued_at_idx",
    "USING btree (queued_at) WHERE ((status)::text = ANY ((ARRAY['queued'::character varying, 'running'::character varying])::text[]))",
  ],
  [
    "user_channels",
    "user_channels_channel_user_unique_idx",
    "CREATE UNIQUE INDEX user_channels_channel_user_unique_idx ON marketing.user_channels USING btree (channel, channel_user_id)",
  ],
  [
    "clients",
    "clients_user_id_slug_unique_idx",
    "CREATE UNIQUE INDEX clients_user_id_slug_unique_idx ON marketing.clients USING btree (user_id, slug)",
  ],
  [
    "feedback",
    "feedback_output_id_unique_idx",
    "CREATE UNIQUE INDEX feedback_output_id_unique_idx ON marketing.feedback USING btree (output_id)",
  ],
  // 0004: the pending-output sweep
  ["outputs", "outputs_pending_created_at_idx", "USING btree (created_at) WHERE ((status)::text = 'pending'::text)"],
];
const UNIQUE_EXTRA_INDEXES = ["clients_user_id_slug_unique_idx", "feedback_output_id_unique_idx", "user_channels_channel_user_unique_idx"];

let cat: Catalog;
let db: NodePgDatabase<typeof schema>;
useMigratedSchema("schema_marketing", "marketing", schema, (fx) => {
  ({ cat, db } = fx);
});

describeCatalog("marketing", () => cat, {
  tables: TABLES,
  columns: COLUMNS,
  constraints: CONSTRAINTS,
  indexes: [...SEED_INDEXES, ...EXTRA_INDEXES],
  uniqueIndexes: UNIQUE_EXTRA_INDEXES,
});

describe("marketing defaults, keys and relations", () => {
  let userId: string;
  let skillId: string;

  beforeAll(async () => {
    const [u] = await db
      .insert(users)
      .values({ email: "ana@example.com", apiKey: "mk_live_ana", apiKeyHash: "h".repeat(64) })
      .returning();
    userId = u!.id;
    const [s] = await db
      .insert(skills)
      .values({
        name: "copywriting",
        description: "Write copy",
        type: "with_rules",
        s3Key: "skills/copywriting/",
        triggerKeywords: ["headline"],
      })
      .returning();
    skillId = s!.id;
  });

  it("fills the seed's defaults: uuid ids, queued status, markdown format, [] arrays, false flags, now()", async () => {
    const [skill] = await db.select().from(skills).where(eq(skills.id, skillId));
    expect(skill!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(skill!.relatedSkills).toEqual([]);
    expect(skill!.hasRules).toBe(false);
    expect(skill!.hasSubdirectories).toBe(false);
    expect(Math.abs(skill!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const [run] = await db.insert(runs).values({ userId, skillId, userMessage: "Write a headline" }).returning();
    expect(run!.status).toBe("queued");
    expect(run!.clientId).toBeNull();
    const [out] = await db.insert(outputs).values({ runId: run!.id, s3Key: "outputs/copywriting/a.md" }).returning();
    expect(out!.format).toBe("markdown");
    const [fb] = await db.insert(feedback).values({ outputId: out!.id, overallScore: 4, source: "web" }).returning();
    expect(fb!.issues).toEqual([]);
    expect(fb!.suggestedRuleChanges).toEqual([]);
  });

  it("rejects a second skill with the same name and a second user with the same api_key (23505)", async () => {
    expect(
      await pgError(
        db.insert(skills).values({
          name: "copywriting",
          description: "again",
          type: "simple",
          s3Key: "x",
          triggerKeywords: [],
        }),
      ),
    ).toEqual({ code: "23505", constraint: "skills_name_unique" });
    expect(await pgError(db.insert(users).values({ apiKey: "mk_live_ana", apiKeyHash: "x" }))).toEqual({
      code: "23505",
      constraint: "users_api_key_unique",
    });
  });

  it("refuses to delete a user who still has runs (NO ACTION → 23503) and a run pointing nowhere", async () => {
    expect(await pgError(db.delete(users).where(eq(users.id, userId)))).toEqual({ code: "23503", constraint: "runs_user_id_users_id_fk" });
    expect(await pgError(db.insert(runs).values({ userId: "00000000-0000-4000-8000-000000000000", skillId, userMessage: "x" }))).toEqual({
      code: "23503",
      constraint: "runs_user_id_users_id_fk",
    });
  });

  it("answers the seed's 'user's recent runs' query with outputs through db.query", async () => {
    const [client1] = await db
      .insert(clients)
      .values({ userId, name: "Yaz", slug: "yaz-automate", s3Prefix: "clients/yaz-automate/" })
      .returning();
    const older = new Date("2025-01-01T08:00:00Z");
    const newer = new Date("2025-01-02T08:00:00Z");
    const [r1] = await db
      .insert(runs)
      .values({ userId, skillId, clientId: client1!.id, userMessage: "older", queuedAt: older })
      .returning();
    const [r2] = await db.insert(runs).values({ userId, skillId, userMessage: "newer", queuedAt: newer, status: "completed" }).returning();
    await db.insert(outputs).values([
      { runId: r2!.id, s3Key: "outputs/copywriting/n1.md", title: "N1" },
      { runId: r2!.id, s3Key: "outputs/copywriting/n2.json", format: "json", title: "N2" },
    ]);
    await db.insert(userChannels).values({ userId, channel: "telegram", channelUserId: "42" });

    const recent = await db.query.runs.findMany({
      where: eq(runs.userId, userId),
      with: { outputs: { orderBy: (o, { asc }) => [asc(o.title)] }, client: true, skill: { columns: { name: true } } },
      orderBy: desc(runs.queuedAt),
      limit: 10,
    });
    const mine = recent.filter((r) => r.id === r1!.id || r.id === r2!.id);
    expect(mine.map((r) => r.userMessage)).toEqual(["newer", "older"]);
    expect(mine[0]!.outputs.map((o) => [o.title, o.format])).toEqual([
      ["N1", "markdown"],
      ["N2", "json"],
    ]);
    expect(mine[0]!.client).toBeNull();
    expect(mine[1]!.client?.slug).toBe("yaz-automate");
    expect(mine[0]!.skill).toEqual({ name: "copywriting" });

    const skill = await db.query.skills.findFirst({ where: eq(skills.name, "copywriting") });
    expect(skill?.id).toBe(skillId);
    const user = await db.query.users.findFirst({ where: eq(users.id, userId), with: { channels: true } });
    expect(user?.channels.map((c) => [c.channel, c.channelUserId])).toEqual([["telegram", "42"]]);
  });

  it("follows output → feedback and feedback → output", async () => {
    const [run] = await db.insert(runs).values({ userId, skillId, userMessage: "fb" }).returning();
    const [out] = await db.insert(outputs).values({ runId: run!.id, s3Key: "outputs/fb.md" }).returning();
    await db.insert(feedback).values({
      outputId: out!.id,
      overallScore: 5,
      accuracyScore: 4,
      source: "telegram",
      issues: [{ description: "too long", severity: "low" }],
    });
    const got = await db.query.outputs.findFirst({
      where: eq(outputs.id, out!.id),
      with: { feedback: { with: { output: { columns: { id: true } } } } },
    });
    expect(got!.feedback).toHaveLength(1);
    expect(got!.feedback[0]!.issues).toEqual([{ description: "too long", severity: "low" }]);
    expect(got!.feedback[0]!.output).toEqual({ id: out!.id });
  });
});

describe("marketing validation", () => {
  const base = { outputId: "8c3f1d9e-6c1a-4f61-9a63-3f1b6f7a1e55", source: "web" };

  it("takes feedback scores 1 to 5 only, as integers", () => {
    for (const ok of [1, 5]) expect(insertFeedbackSchema.safeParse({ ...base, overallScore: ok, qualityScore: ok }).success).toBe(true);
    for (const bad of [0, 6, 2.5]) {
      expect(insertFeedbackSchema.safeParse({ ...base, overallScore: bad }).success).toBe(false);
      expect(insertFeedbackSchema.safeParse({ ...base, overallScore: 3, accuracyScore: bad }).success).toBe(false);
    }
    expect(insertFeedbackSchema.safeParse({ outputId: base.outputId, source: "web" }).success).toBe(false);
  });

  it("knows the seed's vocabularies", () => {
    expect(insertFeedbackSchema.safeParse({ ...base, overallScore: 3, source: "email" }).success).toBe(false);
    for (const s of ["telegram", "web", "api"])
      expect(insertFeedbackSchema.safeParse({ ...base, overallScore: 3, source: s }).success).toBe(true);
    const skill = { name: "x-y", description: "d", s3Key: "skills/x/", triggerKeywords: ["k"] };
    for (const t of ["simple", "with_rules", "complex"]) expect(insertSkillSchema.safeParse({ ...skill, type: t }).success).toBe(true);
    expect(insertSkillSchema.safeParse({ ...skill, type: "hard" }).success).toBe(false);
    const run = { userId: base.outputId, skillId: base.outputId, userMessage: "m" };
    for (const s of ["queued", "running", "completed", "failed", "cancelled"])
      expect(insertRunSchema.safeParse({ ...run, status: s }).success).toBe(true);
    expect(insertRunSchema.safeParse({ ...run, status: "done" }).success).toBe(false);
    expect(patchRunSchema.safeParse({ status: "paused" }).success).toBe(false);
    expect(canMoveRun("queued", "running")).toBe(true);
    expect(canMoveRun("completed", "running")).toBe(false);
  });

  it("caps pageSize at 100 and accepts ISO dates on input", () => {
    expect(listRunsQuerySchema.parse({ pageSize: "100" }).pageSize).toBe(100);
    expect(listRunsQuerySchema.safeParse({ pageSize: "101" }).success).toBe(false);
    expect(listRunsQuerySchema.safeParse({ page: "0" }).success).toBe(false);
    expect(listRunsQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20, sortBy: "queuedAt", sortDirection: "desc" });
    expect(patchRunSchema.parse({ startedAt: "2025-03-01T10:00:00Z" }).startedAt).toEqual(new Date("2025-03-01T10:00:00Z"));
  });
});
