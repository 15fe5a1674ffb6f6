/**
 * Insert/patch schemas (drizzle-zod, from the tables) are what the API accepts: request bodies pick their
 * fields from them, so a column's rule lives in one place. Server-managed columns (ids, creation and update
 * stamps) are left out. Dates are coerced on input so
 * ISO 8601 strings from JSON bodies are accepted. Vocabularies the seed keeps in varchar columns are
 * z.enum in all three schemas.
 */
import { createSchemaFactory } from "drizzle-zod";
import { z } from "zod";
import { listQuerySchema } from "../../src/http/pagination";
import {
  channels,
  clients,
  feedback,
  feedbackSources,
  issueSeverities,
  outputFormats,
  runStatuses,
  runs,
  skillTypes,
  skills,
  users,
  type RunStatus,
} from "./schema";

const { createInsertSchema, createUpdateSchema } = createSchemaFactory({ coerce: { date: true } });

export const skillTypeSchema = z.enum(skillTypes);
export const runStatusSchema = z.enum(runStatuses);
export const outputFormatSchema = z.enum(outputFormats);
export const channelSchema = z.enum(channels);
export const feedbackSourceSchema = z.enum(feedbackSources);
/** Feedback scores use a 1–5 scale (seed 000, aligned with the feedback template). */
export const scoreSchema = z.number().int().min(1).max(5);
export const slugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by '-'");

export const feedbackIssueSchema = z.object({
  description: z.string().min(1),
  severity: z.enum(issueSeverities),
  suggestedFix: z.string().optional(),
});
export const ruleChangeSchema = z.object({
  file: z.string().min(1),
  currentRule: z.string().optional(),
  suggestedChange: z.string().min(1),
  rationale: z.string().min(1),
});

/** Legal run status moves (issue 4: queued → running → completed | failed, queued | running → cancelled); anything else answers 409. */
export const runStatusTransitions: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["running", "cancelled"],
  running: ["completed", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
};
export const canMoveRun = (from: RunStatus, to: RunStatus) => runStatusTransitions[from].includes(to);

const keywords = z.array(z.string().min(1));
const count = (s: z.ZodNumber) => s.int().min(0);

// users: the key and its hash are issued by the server, never taken from a request.
export const insertUserSchema = createInsertSchema(users, { email: () => z.email().max(255) }).omit({
  id: true,
  createdAt: true,
  updatedAt: true,
});

// clients
const clientRules = {
  name: (s: z.ZodString) => s.trim().min(1),
  slug: () => slugSchema,
  description: (s: z.ZodString) => s.max(10_000),
  s3Prefix: (s: z.ZodString) => s.min(1),
};
export const insertClientSchema = createInsertSchema(clients, clientRules).omit({ id: true, createdAt: true, updatedAt: true });
export const patchClientSchema = createUpdateSchema(clients, clientRules).omit({
  id: true,
  createdAt: true,
  updatedAt: true,
  userId: true,
});

// skills
export const insertSkillSchema = createInsertSchema(skills, {
  name: () => slugSchema,
  description: (s) => s.min(1),
  type: () => skillTypeSchema,
  s3Key: (s) => s.min(1),
  triggerKeywords: () => keywords.min(1),
  relatedSkills: () => keywords,
}).omit({ id: true, createdAt: true, updatedAt: true });

// runs
const runRules = {
  status: () => runStatusSchema,
  userMessage: (s: z.ZodString) => s.min(1),
  tokensInput: count,
  tokensOutput: count,
};
export const insertRunSchema = createInsertSchema(runs, runRules).omit({ id: true, queuedAt: true });
export const patchRunSchema = createUpdateSchema(runs, runRules).omit({ id: true, queuedAt: true, userId: true });

// feedback
const feedbackRefine = {
  accuracyScore: () => scoreSchema,
  qualityScore: () => scoreSchema,
  usefulnessScore: () => scoreSchema,
  ruleComplianceScore: () => scoreSchema,
  overallScore: () => scoreSchema,
  issues: () => z.array(feedbackIssueSchema),
  suggestedRuleChanges: () => z.array(ruleChangeSchema),
  source: () => feedbackSourceSchema,
};
export const insertFeedbackSchema = createInsertSchema(feedback, feedbackRefine).omit({ id: true, createdAt: true });

export const listRunsQuerySchema = listQuerySchema(["queuedAt", "startedAt", "completedAt", "status"]).extend({
  status: runStatusSchema.optional(),
});
export const listSkillsQuerySchema = listQuerySchema(["name", "createdAt", "updatedAt"]);
export const listClientsQuerySchema = listQuerySchema(["name", "slug", "createdAt", "updatedAt"]);
