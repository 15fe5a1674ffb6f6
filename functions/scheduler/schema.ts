/**
 * Natural-language job scheduler (seed 003). Postgres schema `scheduler`.
 *
 * The seed gives code only for the `Job` table and its `JobStatus` enum; both are kept as written (table and
 * column names in the seed's quoted camelCase, `id` text generated in the client, `userId` nullable with
 * ON DELETE CASCADE, `createdAt`/`updatedAt` nullable with DEFAULT now()). Its `mode: "string"` timestamps
 * become `mode: "date"` (project convention); the SQL type is the same `timestamp without time zone`.
 *
 * Everything else the seed only names. Our design, following the seed's "consistent patterns" (text uuid
 * primary keys from `crypto.randomUUID()`, camelCase column names, Postgres enums for vocabularies,
 * `createdAt`/`updatedAt`, user-scoped rows deleted in cascade):
 * - Auth.js tables as its Drizzle adapter defines them for Postgres: "user" (id, name, email UNIQUE,
 *   emailVerified, image; we add createdAt/updatedAt), "account" (PK provider + providerAccountId; the OAuth
 *   token columns keep the adapter's snake_case names), "session" (PK sessionToken), "verificationToken"
 *   (PK identifier + token). The optional WebAuthn "authenticator" table is left out: the seed does not name it.
 * - "Job" gains what "Execution Tracking: next run time, lock status, token usage" needs beyond the seed's code:
 *   "lockExpiresAt" (the lock is a lease: a sweep may take over a job whose lease has run out, so a crashed
 *   run never pins it) and "inputTokens"/"outputTokens"/"totalTokens" (NOT NULL DEFAULT 0).
 * - "ApiKey": "prefix" (public, UNIQUE, for lookup and display), "salt" and "hash" (the secret is stored only
 *   as a salted hash), "name", "createdAt", "lastUsedAt"; belongs to a user (NOT NULL, cascade).
 * - "Message": belongs to a job (cascade); "role" enum MessageRole (system, user, assistant, tool), "content"
 *   jsonb (a string or an array of content parts), "metadata" jsonb.
 * - "Endpoint": belongs to a job (cascade); "url", "method" enum HttpMethod (default GET), "headers" jsonb,
 *   "bearerToken", "timeoutMs" (default 5000), "fireAndForget".
 * - "ContextEntry": key/value text pairs belonging to a job (cascade), UNIQUE ("jobId", "key").
 * - "Task": belongs to a job (cascade); "status" enum TaskStatus (default PENDING), "result" jsonb, "error",
 *   "startedAt", "completedAt".
 * Rows below "Job" reach their user through the job, so deleting a user removes its jobs and all their rows.
 * Indexes marked `+0001` are ours and arrive in migration 0001, each with its reason.
 * Migration 0003 (marked `+0003`) adds what the runner needs: on "Job" the schedule as understood
 * ("cronExpression", "timezone"), the LLM step ("llmModel"), the claim's lease ("lease_owner", "lease_expires_at",
 * snake_case because the platform's lease helpers look them up by these names; "locked" and "lockExpiresAt" now
 * mean a run is in progress and until when its lease holds), the last run and the failure streak; on "Endpoint"
 * encrypted secret headers and a request body ("bearerToken" holds ciphertext too); on "Task" the call's run,
 * endpoint, HTTP status, duration and truncated response; and "JobUsage", token usage per job and UTC day.
 */
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgSchema, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { ts } from "../../src/db/columns";

export const scheduler = pgSchema("scheduler");

const uuidText = (name: string) =>
  text(name)
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const createdAt = () => ts("createdAt").defaultNow().notNull();
const updatedAt = () =>
  ts("updatedAt")
    .defaultNow()
    .notNull()
    .$onUpdate(() => new Date());

export const jobStatuses = ["ACTIVE", "PAUSED", "ARCHIVED"] as const;
export const jobStatusEnum = scheduler.enum("JobStatus", jobStatuses);
export type JobStatus = (typeof jobStatuses)[number];
export const messageRoles = ["system", "user", "assistant", "tool"] as const;
export const messageRoleEnum = scheduler.enum("MessageRole", messageRoles);
export type MessageRole = (typeof messageRoles)[number];
export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const httpMethodEnum = scheduler.enum("HttpMethod", httpMethods);
export type HttpMethod = (typeof httpMethods)[number];
export const taskStatuses = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export const taskStatusEnum = scheduler.enum("TaskStatus", taskStatuses);
export type TaskStatus = (typeof taskStatuses)[number];

/** Auth.js adapter account types */
export type AccountType = "oauth" | "oidc" | "email" | "webauthn";
export type MessageContentPart =
  | { type: "text"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; args: Record<string, unknown> }
  | { type: "tool-result"; toolCallId: string; toolName: string; result: unknown }
  | { type: string; [key: string]: unknown };
export type MessageContent = string | MessageContentPart[];

export const users = scheduler.table("user", {
  id: uuidText("id"),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: ts("emailVerified"),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const accounts = scheduler.table(
  "account",
  {
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<AccountType>().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index("account_userId_idx").on(t.userId), // +0001: the adapter reads and deletes accounts by user
  ],
);

export const sessions = scheduler.table(
  "session",
  {
    sessionToken: text("sessionToken").primaryKey(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: ts("expires").notNull(),
  },
  (t) => [
    index("session_userId_idx").on(t.userId), // +0001: a user's sessions (sign out everywhere, cascade on user delete)
    index("session_expires_idx").on(t.expires), // +0001: the purge sweep deletes expired sessions
  ],
);

export const verificationTokens = scheduler.table(
  "verificationToken",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: ts("expires").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.identifier, t.token] }),
    index("verificationToken_expires_idx").on(t.expires), // +0001: the purge sweep deletes expired tokens
  ],
);

export const jobs = scheduler.table(
  "Job",
  {
    id: uuidText("id"),
    definitionNL: text("definitionNL").notNull(),
    nextRunAt: ts("nextRunAt"),
    status: jobStatusEnum("status").default("PAUSED").notNull(),
    locked: boolean("locked").default(false).notNull(),
    lockExpiresAt: ts("lockExpiresAt"),
    userId: text("userId").references(() => users.id, { onDelete: "cascade" }),
    inputTokens: integer("inputTokens").default(0).notNull(),
    outputTokens: integer("outputTokens").default(0).notNull(),
    totalTokens: integer("totalTokens").default(0).notNull(),
    createdAt: ts("createdAt").defaultNow(),
    updatedAt: ts("updatedAt")
      .defaultNow()
      .$onUpdate(() => new Date()),
    // +0003 (the runner): the schedule as understood, the lease token, the last run and the failure streak.
    cronExpression: text("cronExpression"),
    timezone: text("timezone").default("UTC").notNull(),
    llmModel: text("llmModel"),
    // the platform's lease helpers (src/db/leases.ts) find these two by their SQL names
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ts("lease_expires_at"),
    lastRunAt: ts("lastRunAt"),
    lastRunStatus: taskStatusEnum("lastRunStatus"),
    consecutiveFailures: integer("consecutiveFailures").default(0).notNull(),
  },
  (t) => [
    index("Job_userId_createdAt_idx").on(t.userId, t.createdAt), // +0001: the user-scoped job list, sorted by createdAt by default
    index("Job_due_nextRunAt_idx").on(t.nextRunAt).where(sql`status = 'ACTIVE'`), // +0001: the claim sweep reads only ACTIVE jobs in nextRunAt order
    index("Job_lease_expires_at_idx").on(t.leaseExpiresAt).where(sql`lease_owner IS NOT NULL`), // +0003: the lease sweep finds expired leases
  ],
);

export const apiKeys = scheduler.table(
  "ApiKey",
  {
    id: uuidText("id"),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull().unique(),
    salt: text("salt").notNull(),
    hash: text("hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts("lastUsedAt"),
  },
  (t) => [
    index("ApiKey_userId_idx").on(t.userId), // +0001: a user's key list
  ],
);

export const messages = scheduler.table(
  "Message",
  {
    id: uuidText("id"),
    jobId: text("jobId")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    role: messageRoleEnum("role").notNull(),
    content: jsonb("content").$type<MessageContent>().notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("Message_jobId_createdAt_idx").on(t.jobId, t.createdAt), // +0001: a job's conversation, in order
  ],
);

export const endpoints = scheduler.table(
  "Endpoint",
  {
    id: uuidText("id"),
    jobId: text("jobId")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    method: httpMethodEnum("method").default("GET").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>(),
    /** AES-GCM ciphertext (`v1.<iv>.<data>`, key SCHEDULER_SECRET_KEY); never returned */
    bearerToken: text("bearerToken"),
    /** +0003: headers holding secrets (e.g. an API key header), as AES-GCM ciphertext of their JSON; never returned */
    secretHeaders: text("secretHeaders"),
    /** +0003: the names of those headers, shown so a client knows what is set */
    secretHeaderNames: jsonb("secretHeaderNames").$type<string[]>(),
    /** +0003: request body sent with POST/PUT/PATCH */
    body: text("body"),
    timeoutMs: integer("timeoutMs").default(5000).notNull(),
    fireAndForget: boolean("fireAndForget").default(false).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("Endpoint_jobId_idx").on(t.jobId), // +0001: a job's endpoints, and the cascade from Job
  ],
);

export const contextEntries = scheduler.table(
  "ContextEntry",
  {
    id: uuidText("id"),
    jobId: text("jobId")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("ContextEntry_jobId_key_unique").on(t.jobId, t.key)],
);

export const tasks = scheduler.table(
  "Task",
  {
    id: uuidText("id"),
    jobId: text("jobId")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: taskStatusEnum("status").default("PENDING").notNull(),
    result: jsonb("result").$type<unknown>(),
    error: text("error"),
    startedAt: ts("startedAt"),
    completedAt: ts("completedAt"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // +0003 (the runner): one task per endpoint call of a run.
    runId: text("runId"),
    endpointId: text("endpointId").references(() => endpoints.id, { onDelete: "set null" }),
    httpStatus: integer("httpStatus"),
    durationMs: integer("durationMs"),
    /** the endpoint's answer, cut to 2000 characters */
    response: text("response"),
  },
  (t) => [
    index("Task_jobId_idx").on(t.jobId), // +0001: a job's tasks, and the cascade from Job
    index("Task_jobId_createdAt_idx").on(t.jobId, t.createdAt), // +0003: a job's tasks, newest first
    index("Task_running_startedAt_idx").on(t.startedAt).where(sql`status = 'RUNNING'`), // +0003: the sweep of tasks stuck in RUNNING
    index("Task_endpointId_idx").on(t.endpointId), // +0003: ON DELETE SET NULL from Endpoint
  ],
);

/** +0003: token usage of a job per UTC day, added to by each run (GET /usage). */
export const jobUsage = scheduler.table(
  "JobUsage",
  {
    jobId: text("jobId")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    runs: integer("runs").default(0).notNull(),
    inputTokens: integer("inputTokens").default(0).notNull(),
    outputTokens: integer("outputTokens").default(0).notNull(),
    totalTokens: integer("totalTokens").default(0).notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.day] })],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Account = typeof accounts.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type VerificationToken = typeof verificationTokens.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type Endpoint = typeof endpoints.$inferSelect;
export type NewEndpoint = typeof endpoints.$inferInsert;
export type ContextEntry = typeof contextEntries.$inferSelect;
export type NewContextEntry = typeof contextEntries.$inferInsert;
export type Task = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;
export type JobUsage = typeof jobUsage.$inferSelect;
