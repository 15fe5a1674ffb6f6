/**
 * Marketing agent (seed 000): users and their chat channels, clients, skills, runs, outputs, feedback.
 * Postgres schema `marketing`. Tables, columns, types, lengths, defaults and index names are the seed's
 * Drizzle code as written (timestamps without time zone; foreign keys without ON DELETE, i.e. NO ACTION).
 *
 * Choices where the seed left room:
 * - `skills.type`, `runs.status`, `outputs.format`, `user_channels.channel`, `feedback.source` stay varchar
 *   columns as in the seed (no Postgres enum); their vocabularies are enforced in validation.ts.
 * - The diagram draws outputs → feedback as 1:1 but the code gives `feedback.output_id` a plain index and
 *   no UNIQUE; we keep that index and add a unique one (0002), so the API's one-feedback-per-output rule holds.
 * - The feedback 1–5 score range lives in validation.ts, not in a CHECK constraint the seed does not name.
 * - `users.api_key` (UNIQUE, 64) and `users.api_key_hash` (128) are both kept. Since our API keys are stored as
 *   hashes, `api_key` is meant for the key's public lookup part (never the secret) and `api_key_hash` for the
 *   hash of the secret.
 * - Indexes marked `+0001`/`+0002` are ours, not the seed's: they arrive in those migrations, each with its reason.
 */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgSchema, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "../../src/db/columns";

export const marketing = pgSchema("marketing");

export const skillTypes = ["simple", "with_rules", "complex"] as const;
export type SkillType = (typeof skillTypes)[number];
export const runStatuses = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type RunStatus = (typeof runStatuses)[number];
export const outputFormats = ["markdown", "json", "html"] as const;
export type OutputFormat = (typeof outputFormats)[number];
export const outputStatuses = ["pending", "stored"] as const;
export type OutputStatus = (typeof outputStatuses)[number];
export const channels = ["telegram", "slack", "web"] as const;
export type Channel = (typeof channels)[number];
export const feedbackSources = ["telegram", "web", "api"] as const;
export type FeedbackSource = (typeof feedbackSources)[number];
export const issueSeverities = ["high", "medium", "low"] as const;

export interface FeedbackIssue {
  description: string;
  severity: (typeof issueSeverities)[number];
  suggestedFix?: string;
}

export interface RuleChange {
  /** e.g. '.claude/skills/{skill}/RULES.md' */
  file: string;
  currentRule?: string;
  suggestedChange: string;
  rationale: string;
}

export const users = marketing.table(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: varchar("email", { length: 255 }).unique(),
    apiKey: varchar("api_key", { length: 64 }).unique().notNull(),
    apiKeyHash: varchar("api_key_hash", { length: 128 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("users_email_idx").on(t.email), index("users_api_key_idx").on(t.apiKey)],
);

export const userChannels = marketing.table(
  "user_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    channel: varchar("channel", { length: 50 }).notNull().$type<Channel>(),
    channelUserId: varchar("channel_user_id", { length: 255 }).notNull(),
    channelUsername: varchar("channel_username", { length: 255 }),
    linkedAt: createdAt("linked_at"),
  },
  (t) => [
    index("user_channels_user_id_idx").on(t.userId),
    index("user_channels_lookup_idx").on(t.channel, t.channelUserId),
    uniqueIndex("user_channels_channel_user_unique_idx").on(t.channel, t.channelUserId), // +0002: the channel lookup must name exactly one user
  ],
);

export const clients = marketing.table(
  "clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    slug: varchar("slug", { length: 100 }).notNull(),
    description: text("description"),
    s3Prefix: varchar("s3_prefix", { length: 500 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("clients_user_id_idx").on(t.userId),
    index("clients_slug_idx").on(t.slug),
    uniqueIndex("clients_user_id_slug_unique_idx").on(t.userId, t.slug), // +0002: a slug is unique per user, enforced atomically (409)
  ],
);

export const skills = marketing.table(
  "skills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 100 }).unique().notNull(),
    description: text("description").notNull(),
    type: varchar("type", { length: 20 }).notNull().$type<SkillType>(),
    s3Key: varchar("s3_key", { length: 500 }).notNull(),
    hasRules: boolean("has_rules").default(false).notNull(),
    hasSubdirectories: boolean("has_subdirectories").default(false).notNull(),
    triggerKeywords: jsonb("trigger_keywords").$type<string[]>().notNull(),
    relatedSkills: jsonb("related_skills").$type<string[]>().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("skills_name_idx").on(t.name), index("skills_type_idx").on(t.type)],
);

export const runs = marketing.table(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    skillId: uuid("skill_id")
      .references(() => skills.id)
      .notNull(),
    clientId: uuid("client_id").references(() => clients.id),
    status: varchar("status", { length: 20 }).notNull().$type<RunStatus>().default("queued"),
    userMessage: text("user_message").notNull(),
    inngestEventId: varchar("inngest_event_id", { length: 100 }),
    tokensInput: integer("tokens_input"),
    tokensOutput: integer("tokens_output"),
    errorMessage: text("error_message"),
    /** JSON string for additional context (text, as the seed has it) */
    metadata: text("metadata"),
    queuedAt: createdAt("queued_at"),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
  },
  (t) => [
    index("runs_user_id_idx").on(t.userId),
    index("runs_skill_id_idx").on(t.skillId),
    index("runs_client_id_idx").on(t.clientId),
    index("runs_status_idx").on(t.status),
    index("runs_queued_at_idx").on(t.queuedAt),
    index("runs_user_id_queued_at_idx").on(t.userId, t.queuedAt), // +0001: the seed's "user's recent runs" filters by user_id and orders by queued_at desc (a backward scan)
    index("runs_in_flight_queued_at_idx").on(t.queuedAt).where(sql`status IN ('queued', 'running')`), // +0001: the stuck-run sweep reads only queued/running runs, oldest first
  ],
);

export const outputs = marketing.table(
  "outputs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .references(() => runs.id)
      .notNull(),
    s3Key: varchar("s3_key", { length: 500 }).notNull(),
    format: varchar("format", { length: 20 }).notNull().$type<OutputFormat>().default("markdown"),
    title: varchar("title", { length: 255 }),
    /** first 500 characters, for quick display */
    preview: text("preview"),
    sizeBytes: integer("size_bytes"),
    /** +0007: `pending` while its R2 object is being written, `stored` once it is (only stored outputs are shown) */
    status: varchar("status", { length: 20 }).notNull().$type<OutputStatus>().default("stored"),
    createdAt: createdAt(),
  },
  (t) => [
    index("outputs_run_id_idx").on(t.runId),
    index("outputs_pending_created_at_idx").on(t.createdAt).where(sql`status = 'pending'`), // +0007: the pending-output sweep reads only pendings, oldest first
    index("outputs_s3_key_idx").on(t.s3Key),
    index("outputs_created_at_idx").on(t.createdAt),
  ],
);

export const feedback = marketing.table(
  "feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    outputId: uuid("output_id")
      .references(() => outputs.id)
      .notNull(),
    accuracyScore: integer("accuracy_score"),
    qualityScore: integer("quality_score"),
    usefulnessScore: integer("usefulness_score"),
    ruleComplianceScore: integer("rule_compliance_score"),
    overallScore: integer("overall_score").notNull(),
    whatWorkedWell: text("what_worked_well"),
    issues: jsonb("issues").$type<FeedbackIssue[]>().default([]),
    suggestedRuleChanges: jsonb("suggested_rule_changes").$type<RuleChange[]>().default([]),
    source: varchar("source", { length: 50 }).notNull().$type<FeedbackSource>(),
    reviewerName: varchar("reviewer_name", { length: 100 }),
    createdAt: createdAt(),
  },
  (t) => [
    index("feedback_output_id_idx").on(t.outputId),
    index("feedback_overall_score_idx").on(t.overallScore),
    index("feedback_created_at_idx").on(t.createdAt),
    uniqueIndex("feedback_output_id_unique_idx").on(t.outputId), // +0002: one feedback per output, enforced atomically (409)
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserChannel = typeof userChannels.$inferSelect;
export type NewUserChannel = typeof userChannels.$inferInsert;
export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type Skill = typeof skills.$inferSelect;
export type NewSkill = typeof skills.$inferInsert;
export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type Output = typeof outputs.$inferSelect;
export type NewOutput = typeof outputs.$inferInsert;
export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
