/**
 * Insert/patch schemas (drizzle-zod, from the tables) are what the API accepts. Server-managed
 * columns (serial ids, cache stamps, creation and update stamps) are left out of insert/patch; dates are
 * coerced on input. Seed 001 keeps JSON in `text` columns: on input those must be JSON text of the shape
 * the seed describes (`jsonText`), and the inner shapes are exported for callers that parse them.
 */
import { createSchemaFactory } from "drizzle-zod";
import { z } from "zod";
import { listQuerySchema } from "../../src/http/pagination";
import { agentModelConfigs, blogSessionStatuses, blogSessions, type BlogSessionStatus } from "./schema";

const { createInsertSchema, createUpdateSchema } = createSchemaFactory({ coerce: { date: true } });

/**
 * Bounds of every free-text input that reaches a prompt (the brand voice is copied into all five agents'
 * prompts, so an unbounded one multiplies the model spend by five). Too long → 400 naming the field.
 */
export const INPUT_LIMITS = {
  /** a store URL */
  storeUrl: 2048,
  /** the confirmed brand voice, as JSON text */
  brandVoiceChars: 8000,
  additionalInstructions: 4000,
  /** selected dresses, and the length of one external id */
  selectedDresses: 50,
  dressId: 200,
} as const;

/** A JSON object whose JSON text is at most `max` characters. */
export const boundedJsonObject = (max: number) =>
  z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= max, `must be at most ${max} characters as JSON`);

export const blogSessionStatusSchema = z.enum(blogSessionStatuses);

/** draft → generating → completed, generating → failed (seed 001's lifecycle), failed → generating (a retry); nothing else. */
export const blogSessionTransitions: Record<BlogSessionStatus, readonly BlogSessionStatus[]> = {
  draft: ["generating"],
  generating: ["completed", "failed"],
  completed: [],
  failed: ["generating"],
};
export const canMoveBlogSession = (from: BlogSessionStatus, to: BlogSessionStatus) => blogSessionTransitions[from].includes(to);

/** A string holding JSON that matches `inner`. */
export function jsonText<T extends z.ZodType>(inner: T, maxChars?: number) {
  const base = maxChars ? z.string().max(maxChars) : z.string();
  return base.superRefine((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be JSON text" });
      return;
    }
    for (const issue of inner.safeParse(value).error?.issues ?? []) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
    }
  });
}

const jsonObject = z.record(z.string(), z.unknown());
/** blog_sessions.selected_dress_ids: cached_dresses.external_id values */
export const selectedDressIdsSchema = z.array(z.string().min(1));
/** blog_sessions.seo_metadata */
export const seoMetadataSchema = z.object({
  title: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
});
/** blog_sessions.agent_log: one entry per agent pass */
export const agentLogSchema = z.array(jsonObject);
/** Agent ids such as `brand-voice-analyzer`. */
export const agentIdSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by '-'");
/** temperature is stored as text; it must read as a number between 0 and 2. */
export const temperatureSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .refine((t) => Number(t) <= 2, "at most 2");
/** max_tokens is stored as text; it must read as a positive integer. */
export const maxTokensSchema = z.string().regex(/^[1-9]\d*$/, "a positive integer");
export const settingKeySchema = z.string().regex(/^[a-z0-9_]+$/, "lowercase letters, digits and '_'");
const httpUrl = z.url({ protocol: /^https?$/ });

// agent_model_configs
const modelConfigRefine = {
  agentId: () => agentIdSchema,
  agentLabel: (s: z.ZodString) => s.min(1),
  modelId: (s: z.ZodString) => s.min(1),
  temperature: () => temperatureSchema,
  maxTokens: () => maxTokensSchema,
};
export const insertAgentModelConfigSchema = createInsertSchema(agentModelConfigs, modelConfigRefine).omit({
  id: true,
  createdAt: true,
  updatedAt: true,
});

// blog_sessions
const sessionRefine = {
  storeUrl: () => httpUrl.max(INPUT_LIMITS.storeUrl),
  brandVoice: () => jsonText(jsonObject, INPUT_LIMITS.brandVoiceChars),
  selectedDressIds: () => jsonText(selectedDressIdsSchema),
  additionalInstructions: (s: z.ZodString) => s.max(INPUT_LIMITS.additionalInstructions),
  status: () => blogSessionStatusSchema,
  seoMetadata: () => jsonText(seoMetadataSchema),
  agentLog: () => jsonText(agentLogSchema),
};
export const insertBlogSessionSchema = createInsertSchema(blogSessions, sessionRefine).omit({ id: true, createdAt: true, updatedAt: true });
export const patchBlogSessionSchema = createUpdateSchema(blogSessions, sessionRefine).omit({ id: true, createdAt: true, updatedAt: true });

export const listBlogSessionsQuerySchema = listQuerySchema(["createdAt", "updatedAt", "status"]).extend({
  status: blogSessionStatusSchema.optional(),
});
