/**
 * What the blog API answers: each response schema (named for the OpenAPI document) next to its row → JSON mapper,
 * so a shape is described once (the TypeScript types are inferred from the schemas).
 */
import { z } from "@hono/zod-openapi";
import type { AgentModelConfig, AppSetting, BlogSession, BrandVoiceCacheEntry, CachedDress } from "./schema";

const iso = z.iso.datetime();
const at = (d: Date) => d.toISOString();

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

// ---- dresses ---------------------------------------------------------------------------------------------------

export const DressSchema = z
  .object({
    externalId: z.string().openapi({ example: "d-1042" }),
    name: z.string().openapi({ example: "Aurora" }),
    designer: z.string().nullable(),
    description: z.string().nullable(),
    price: z.string().nullable().openapi({ example: "$2,499" }),
    imageUrl: z.string().nullable(),
    category: z.string().nullable().openapi({ example: "A-line" }),
    tags: z.array(z.string()),
    cachedAt: iso,
    expiresAt: iso.openapi({ description: "when the cached copy is refreshed from the dress API" }),
  })
  .openapi("Dress");
export type DressOut = z.infer<typeof DressSchema>;

export const DressPageSchema = z
  .object({
    items: z.array(DressSchema),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasNext: z.boolean(),
  })
  .openapi("DressPage");
export type DressPage = z.infer<typeof DressPageSchema>;

const tagsOf = (tags: string | null): string[] => {
  const v = parseJson<unknown>(tags, []);
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === "string") : [];
};

export const dressJson = (row: CachedDress): DressOut => ({
  externalId: row.externalId,
  name: row.name,
  designer: row.designer,
  description: row.description,
  price: row.price,
  imageUrl: row.imageUrl,
  category: row.category,
  tags: tagsOf(row.tags),
  cachedAt: at(row.cachedAt),
  expiresAt: at(row.expiresAt),
});

// ---- brand voice -----------------------------------------------------------------------------------------------

/** What the brand-voice-analyzer must answer (checked on its answer and on a cached row); fields beyond these are kept. */
export const brandVoiceAnswerSchema = z.looseObject({
  tone: z.string().min(1),
  personality: z.array(z.string()).default([]),
  audience: z.string().default(""),
  vocabulary: z.array(z.string()).default([]),
  avoid: z.array(z.string()).default([]),
  summary: z.string().min(1),
});
export type BrandVoice = z.infer<typeof brandVoiceAnswerSchema>;

export const BrandVoiceSchema = z
  .looseObject({
    tone: z.string(),
    personality: z.array(z.string()),
    audience: z.string(),
    vocabulary: z.array(z.string()),
    avoid: z.array(z.string()),
    summary: z.string(),
  })
  .openapi("BrandVoice");

export const BrandVoiceAnalysisSchema = z
  .object({ url: z.string(), analysis: BrandVoiceSchema, cachedAt: iso, expiresAt: iso })
  .openapi("BrandVoiceAnalysis");
export interface BrandVoiceOut {
  url: string;
  analysis: BrandVoice;
  cachedAt: string;
  expiresAt: string;
}

/** A cached analysis, or null when its stored JSON is no longer a valid analysis (it is analysed again). */
export function brandVoiceJson(row: BrandVoiceCacheEntry): BrandVoiceOut | null {
  try {
    const analysis = brandVoiceAnswerSchema.parse(JSON.parse(row.analysisResult));
    return { url: row.url, analysis, cachedAt: at(row.cachedAt), expiresAt: at(row.expiresAt) };
  } catch {
    return null;
  }
}

// ---- sessions --------------------------------------------------------------------------------------------------

export const AgentLogEntrySchema = z
  .object({
    agent: z.string().openapi({ example: "blog-writer" }),
    model: z.string().nullable(),
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    totalTokens: z.number().int(),
    durationMs: z.number().int(),
    outcome: z.enum(["ok", "error", "rejected", "timeout"]),
    error: z.string().optional(),
    finishedAt: iso,
  })
  .openapi("AgentLogEntry");
export type AgentLogEntry = z.infer<typeof AgentLogEntrySchema>;

const SeoMetadataSchema = z.object({ title: z.string(), description: z.string(), keywords: z.array(z.string()) });

export const SessionSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["draft", "generating", "completed", "failed"]),
    storeUrl: z.string().nullable(),
    brandVoice: z.record(z.string(), z.unknown()).nullable(),
    selectedDressIds: z.array(z.string()),
    additionalInstructions: z.string().nullable(),
    generatedBlog: z.string().nullable().openapi({ description: "Markdown, once completed" }),
    seoMetadata: SeoMetadataSchema.nullable(),
    agentLog: z.array(AgentLogEntrySchema).openapi({ description: "one entry per agent pass, appended as each finishes" }),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("BlogSession");

/** JSON columns are stored as text (seed 001); unreadable text answers as the empty value. */
export const sessionJson = (s: BlogSession): z.infer<typeof SessionSchema> => ({
  id: s.id,
  status: s.status,
  storeUrl: s.storeUrl,
  brandVoice: parseJson<Record<string, unknown> | null>(s.brandVoice, null),
  selectedDressIds: parseJson<string[]>(s.selectedDressIds, []),
  additionalInstructions: s.additionalInstructions,
  generatedBlog: s.generatedBlog,
  seoMetadata: parseJson<z.infer<typeof SeoMetadataSchema> | null>(s.seoMetadata, null),
  agentLog: parseJson<AgentLogEntry[]>(s.agentLog, []),
  createdAt: at(s.createdAt),
  updatedAt: at(s.updatedAt),
});

// ---- admin -----------------------------------------------------------------------------------------------------

export const AgentConfigSchema = z
  .object({
    agentId: z.string().openapi({ example: "blog-writer" }),
    agentLabel: z.string(),
    modelId: z.string().openapi({ example: "openrouter/anthropic/claude-sonnet-4-5-20250929" }),
    temperature: z.number(),
    maxTokens: z.number().int(),
    updatedAt: iso,
  })
  .openapi("AgentModelConfig");

export const agentConfigJson = (r: AgentModelConfig) => ({
  agentId: r.agentId,
  agentLabel: r.agentLabel,
  modelId: r.modelId,
  temperature: Number(r.temperature ?? "0.7"),
  maxTokens: Number(r.maxTokens ?? "4096"),
  updatedAt: at(r.updatedAt),
});

export const SettingSchema = z
  .object({
    key: z.string(),
    secret: z.boolean().openapi({ description: "secret values are never shown, only whether they are set" }),
    isSet: z.boolean(),
    value: z.string().optional().openapi({ description: "absent for secret settings" }),
    updatedAt: iso,
  })
  .openapi("AppSetting");

/** A secret setting (the `is_secret` column) is written, never read back: its value is left out of every answer. */
export const settingJson = (r: AppSetting) => ({
  key: r.key,
  secret: r.isSecret,
  isSet: r.value !== "",
  ...(r.isSecret ? {} : { value: r.value }),
  updatedAt: at(r.updatedAt),
});
