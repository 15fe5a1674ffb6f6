/** What the scheduler API answers: response schemas (named for the OpenAPI document) and the row → JSON mappers. */
import { z } from "@hono/zod-openapi";
import type { ApiKey, ContextEntry, Endpoint, Job, Message, Task, User } from "./schema";
import { httpMethodSchema, jobStatusSchema, messageRoleSchema, taskStatusSchema } from "./validation";

const iso = z.iso.datetime().openapi({ example: "2026-12-01T09:00:00.000Z" });
const at = (d: Date) => d.toISOString();
const atOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    createdAt: iso,
  })
  .openapi("SchedulerUser");
export const userJson = (u: User) => ({ id: u.id, name: u.name, email: u.email, createdAt: at(u.createdAt) });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "Public part of the key, for recognising it", example: "sch_3f9a0c1b2d4e" }),
    createdAt: iso,
    lastUsedAt: iso.nullable().openapi({ description: "Updated at most once a minute" }),
  })
  .openapi("SchedulerApiKey");
export const apiKeyJson = (k: Pick<ApiKey, "id" | "name" | "prefix" | "createdAt" | "lastUsedAt">) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: at(k.createdAt),
  lastUsedAt: atOrNull(k.lastUsedAt),
});

export const IssuedKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The full key, shown once: `sch_<prefix>_<secret>`" }),
}).openapi("SchedulerIssuedKey");

export const UserWithKeySchema = z.object({ user: UserSchema, apiKey: IssuedKeySchema }).openapi("SchedulerUserWithKey");

export const JobSchema = z
  .object({
    id: z.string(),
    definitionNL: z.string(),
    cronExpression: z.string().nullable().openapi({ description: "The schedule as understood", example: "0 9 * * 1-5" }),
    timezone: z.string().openapi({ example: "Europe/Paris" }),
    status: jobStatusSchema,
    nextRunAt: iso.nullable(),
    llmModel: z.string().nullable(),
    locked: z.boolean().openapi({ description: "A run holds the job right now" }),
    lastRunAt: iso.nullable(),
    lastRunStatus: taskStatusSchema.nullable(),
    consecutiveFailures: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    totalTokens: z.number().int(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("SchedulerJob");
export const jobJson = (j: Job) => ({
  id: j.id,
  definitionNL: j.definitionNL,
  cronExpression: j.cronExpression,
  timezone: j.timezone,
  status: j.status,
  nextRunAt: atOrNull(j.nextRunAt),
  llmModel: j.llmModel,
  locked: j.locked,
  lastRunAt: atOrNull(j.lastRunAt),
  lastRunStatus: j.lastRunStatus,
  consecutiveFailures: j.consecutiveFailures,
  inputTokens: j.inputTokens,
  outputTokens: j.outputTokens,
  totalTokens: j.totalTokens,
  createdAt: at(j.createdAt!),
  updatedAt: at(j.updatedAt!),
});

export const EndpointSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    name: z.string(),
    url: z.string(),
    method: httpMethodSchema,
    headers: z.record(z.string(), z.string()).openapi({ description: "Non-secret headers" }),
    body: z.string().nullable(),
    timeoutMs: z.number().int(),
    hasBearerToken: z.boolean().openapi({ description: "A bearer token is set (it is never returned)" }),
    secretHeaderNames: z.array(z.string()).openapi({ description: "Names of the secret headers set (values are never returned)" }),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("SchedulerEndpoint");
export const endpointJson = (e: Endpoint) => ({
  id: e.id,
  jobId: e.jobId,
  name: e.name,
  url: e.url,
  method: e.method,
  headers: e.headers ?? {},
  body: e.body,
  timeoutMs: e.timeoutMs,
  hasBearerToken: e.bearerToken !== null,
  secretHeaderNames: e.secretHeaderNames ?? [],
  createdAt: at(e.createdAt),
  updatedAt: at(e.updatedAt),
});

export const ContextEntrySchema = z
  .object({
    key: z.string(),
    value: z.string(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("SchedulerContextEntry");
export const contextJson = (e: Pick<ContextEntry, "key" | "value" | "createdAt" | "updatedAt">) => ({
  key: e.key,
  value: e.value,
  createdAt: at(e.createdAt),
  updatedAt: at(e.updatedAt),
});

export const MessageSchema = z
  .object({
    id: z.string(),
    role: messageRoleSchema,
    content: z.unknown().openapi({ description: "A string or an array of content parts" }),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    createdAt: iso,
  })
  .openapi("SchedulerMessage");
export const messageJson = (m: Message) => ({
  id: m.id,
  role: m.role,
  content: m.content,
  metadata: m.metadata ?? null,
  createdAt: at(m.createdAt),
});

export const TaskSchema = z
  .object({
    id: z.string(),
    runId: z.string().nullable(),
    endpointId: z.string().nullable(),
    name: z.string(),
    status: taskStatusSchema,
    httpStatus: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    response: z.string().nullable().openapi({ description: "The endpoint's answer, cut to 2000 characters" }),
    error: z.string().nullable(),
    startedAt: iso.nullable(),
    completedAt: iso.nullable(),
    createdAt: iso,
  })
  .openapi("SchedulerTask");
export const taskJson = (t: Task) => ({
  id: t.id,
  runId: t.runId,
  endpointId: t.endpointId,
  name: t.name,
  status: t.status,
  httpStatus: t.httpStatus,
  durationMs: t.durationMs,
  response: t.response,
  error: t.error,
  startedAt: atOrNull(t.startedAt),
  completedAt: atOrNull(t.completedAt),
  createdAt: at(t.createdAt),
});

export const JobDetailSchema = JobSchema.extend({
  endpoints: z.array(EndpointSchema),
  context: z.array(ContextEntrySchema),
  recentMessages: z.array(MessageSchema).openapi({ description: "The 20 newest messages" }),
  recentTasks: z.array(TaskSchema).openapi({ description: "The 20 newest tasks" }),
}).openapi("SchedulerJobDetail");

export const UsageSchema = z
  .object({
    jobId: z.string(),
    day: z.string().openapi({ example: "2026-12-01" }),
    runs: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    totalTokens: z.number().int(),
  })
  .openapi("SchedulerUsage");

export const UsageReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.array(UsageSchema).openapi({ description: "Per job and UTC day, newest day first" }),
    jobs: z.array(UsageSchema.omit({ day: true })).openapi({ description: "Per job over the period" }),
  })
  .openapi("SchedulerUsageReport");

export const RunQueuedSchema = z
  .object({
    jobId: z.string(),
    runId: z.string().openapi({ description: "The lease token of this run; its tasks carry it" }),
  })
  .openapi("SchedulerRunQueued");

/** `{ items, page, pageSize, hasNext }` */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), hasNext: z.boolean() }).openapi(name);
