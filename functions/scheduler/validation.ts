/**
 * Select schemas describe what a row holds; insert/patch schemas what the API accepts. Server-managed
 * columns (ids, stamps, lease and token counters, key material) are left out of insert/patch; dates are
 * coerced on input. The Postgres enums (JobStatus, MessageRole, HttpMethod, TaskStatus) become z.enum
 * through drizzle-zod; they are also exported on their own.
 */
import { createSchemaFactory, createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { apiKeys, endpoints, httpMethods, jobStatuses, jobs, messageRoles, messages, taskStatuses, type JobStatus } from "./schema";

const { createInsertSchema, createUpdateSchema } = createSchemaFactory({ coerce: { date: true } });

export const jobStatusSchema = z.enum(jobStatuses);
export const messageRoleSchema = z.enum(messageRoles);
export const httpMethodSchema = z.enum(httpMethods);
export const taskStatusSchema = z.enum(taskStatuses);

/** ARCHIVED is final; ACTIVE and PAUSED toggle. */
export const jobStatusTransitions: Record<JobStatus, readonly JobStatus[]> = {
  ACTIVE: ["PAUSED", "ARCHIVED"],
  PAUSED: ["ACTIVE", "ARCHIVED"],
  ARCHIVED: [],
};

export const messageContentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string().min(1) }))]);
const jsonObject = z.record(z.string(), z.unknown());

// Job: the lock, its lease and token usage are written by the scheduler, never by a request.
const jobManaged = {
  id: true,
  userId: true,
  locked: true,
  lockExpiresAt: true,
  inputTokens: true,
  outputTokens: true,
  totalTokens: true,
  createdAt: true,
  updatedAt: true,
  cronExpression: true,
  leaseOwner: true,
  leaseExpiresAt: true,
  lastRunAt: true,
  lastRunStatus: true,
  consecutiveFailures: true,
} as const;
const jobRefine = { definitionNL: (s: z.ZodString) => s.trim().min(5).max(1000) };
export const insertJobSchema = createInsertSchema(jobs, jobRefine).omit(jobManaged);
export const patchJobSchema = createUpdateSchema(jobs, jobRefine).omit(jobManaged);

// ApiKey: a request names the key; prefix, salt and hash are made by the server.
export const selectApiKeySchema = createSelectSchema(apiKeys);
/** What the API may show of a key: never its salt or hash. */
export const publicApiKeySchema = selectApiKeySchema.omit({ salt: true, hash: true });
export const insertApiKeySchema = createInsertSchema(apiKeys, { name: (s) => s.trim().min(1).max(100) }).pick({ name: true });

// Message
const messageRefine = { content: () => messageContentSchema, metadata: () => jsonObject };
export const insertMessageSchema = createInsertSchema(messages, messageRefine).omit({ id: true, createdAt: true });

// Endpoint
const endpointRefine = {
  name: (s: z.ZodString) => s.trim().min(1).max(200),
  url: () => z.url({ protocol: /^https?$/ }),
  headers: () => z.record(z.string(), z.string()),
  timeoutMs: (s: z.ZodNumber) => s.int().min(100).max(60_000),
};
export const insertEndpointSchema = createInsertSchema(endpoints, endpointRefine).omit({ id: true, createdAt: true, updatedAt: true });

/** The seed's list query for jobs, exactly as the seed writes it. */
export const listJobsSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
  sortBy: z.enum(["createdAt", "updatedAt", "definitionNL"]).default("createdAt"),
  sortDirection: z.enum(["asc", "desc"]).default("desc"),
  searchQuery: z.string().optional(),
});
