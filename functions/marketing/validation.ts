/**
 * Select schemas describe what a row holds; insert/patch schemas what the API accepts. Server-managed
 * columns (ids, creation and update stamps) are left out of insert/patch. Dates are coerced on input so
 * ISO 8601 strings from JSON bodies are accepted. Vocabularies the seed keeps in varchar columns are
 * z.enum in all three schemas.
 */
import { createSchemaFactory, createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { listQuerySchema } from "../../src/http/pagination";
import {
  channels, clients, feedback, feedbackSources, issueSeverities, outputFormats, outputs, runStatuses, runs,
  skillTypes, skills, userChannels, users, type RunStatus,
} from "./schema";

const { createInsertSchema, createUpdateSchema } = createSchemaFactory({ coerce: { date: true } });

export const skillTypeSchema = z.enum(skillTypes);
export const runStatusSchema = z.enum(runStatuses);
export const outputFormatSchema = z.enum(outputFormats);
export const channelSchema = z.enum(channels);
export const feedbackSourceSchema = z.enum(feedbackSources);
/** Feedback scores use a 1–5 scale (seed 000, aligned with the feedback template). */
export const scoreSchema = z.number().int().min(1).max(5);
export const slugSchema = z.string().min(1).max(100).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by '-'");

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
export const selectUserSchema = createSelectSchema(users);
export const insertUserSchema = createInsertSchema(users, { email: () => z.email().max(255) })
  .omit({ id: true, createdAt: true, updatedAt: true });
export const patchUserSchema = createUpdateSchema(users, { email: () => z.email().max(255) })
  .omit({ id: true, createdAt: true, updatedAt: true, apiKey: true, apiKeyHash: true });

// user_channels
export const selectUserChannelSchema = createSelectSchema(userChannels, { channel: () => channelSchema });
export const insertUserChannelSchema = createInsertSchema(userChannels, {
  channel: () => channelSchema,
  channelUserId: (s) => s.min(1),
}).omit({ id: true, linkedAt: true });
export const patchUserChannelSchema = createUpdateSchema(userChannels, {
  channel: () => channelSchema,
  channelUserId: (s) => s.min(1),
}).omit({ id: true, linkedAt: true, userId: true });

// clients
export const selectClientSchema = createSelectSchema(clients);
export const insertClientSchema = createInsertSchema(clients, {
  name: (s) => s.min(1),
  slug: () => slugSchema,
  s3Prefix: (s) => s.min(1),
}).omit({ id: true, createdAt: true, updatedAt: true });
export const patchClientSchema = createUpdateSchema(clients, {
  name: (s) => s.min(1),
  slug: () => slugSchema,
  s3Prefix: (s) => s.min(1),
}).omit({ id: true, createdAt: true, updatedAt: true, userId: true });

// skills
export const selectSkillSchema = createSelectSchema(skills, {
  type: () => skillTypeSchema,
  triggerKeywords: () => keywords,
  relatedSkills: () => keywords,
});
export const insertSkillSchema = createInsertSchema(skills, {
  name: () => slugSchema,
  description: (s) => s.min(1),
  type: () => skillTypeSchema,
  s3Key: (s) => s.min(1),
  triggerKeywords: () => keywords.min(1),
  relatedSkills: () => keywords,
}).omit({ id: true, createdAt: true, updatedAt: true });
export const patchSkillSchema = createUpdateSchema(skills, {
  name: () => slugSchema,
  description: (s) => s.min(1),
  type: () => skillTypeSchema,
  s3Key: (s) => s.min(1),
  triggerKeywords: () => keywords.min(1),
  relatedSkills: () => keywords,
}).omit({ id: true, createdAt: true, updatedAt: true });

// runs
export const selectRunSchema = createSelectSchema(runs, { status: () => runStatusSchema });
const runRules = {
  status: () => runStatusSchema,
  userMessage: (s: z.ZodString) => s.min(1),
  tokensInput: count,
  tokensOutput: count,
};
export const insertRunSchema = createInsertSchema(runs, runRules).omit({ id: true, queuedAt: true });
export const patchRunSchema = createUpdateSchema(runs, runRules).omit({ id: true, queuedAt: true, userId: true });

// outputs
export const selectOutputSchema = createSelectSchema(outputs, { format: () => outputFormatSchema });
const outputRules = {
  format: () => outputFormatSchema,
  s3Key: (s: z.ZodString) => s.min(1),
  sizeBytes: count,
};
export const insertOutputSchema = createInsertSchema(outputs, outputRules).omit({ id: true, createdAt: true });
export const patchOutputSchema = createUpdateSchema(outputs, outputRules).omit({ id: true, createdAt: true, runId: true });

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
export const selectFeedbackSchema = createSelectSchema(feedback, {
  issues: () => z.array(feedbackIssueSchema),
  suggestedRuleChanges: () => z.array(ruleChangeSchema),
  source: () => feedbackSourceSchema,
});
export const insertFeedbackSchema = createInsertSchema(feedback, feedbackRefine).omit({ id: true, createdAt: true });
export const patchFeedbackSchema = createUpdateSchema(feedback, feedbackRefine)
  .omit({ id: true, createdAt: true, outputId: true });

export const listRunsQuerySchema = listQuerySchema(["queuedAt", "startedAt", "completedAt", "status"]).extend({
  status: runStatusSchema.optional(),
});
export const listSkillsQuerySchema = listQuerySchema(["name", "createdAt", "updatedAt"]);
export const listClientsQuerySchema = listQuerySchema(["name", "slug", "createdAt", "updatedAt"]);
export const listFeedbackQuerySchema = listQuerySchema(["createdAt", "overallScore"]);
