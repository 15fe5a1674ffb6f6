/** What the marketing API answers: response schemas (named for the OpenAPI document) and the row → JSON mappers. */
import { z } from "@hono/zod-openapi";
import {
  channelSchema,
  feedbackIssueSchema,
  feedbackSourceSchema,
  outputFormatSchema,
  ruleChangeSchema,
  runStatusSchema,
  skillTypeSchema,
} from "./validation";
import type { Client, Feedback, Output, Run, Skill, User, UserChannel } from "./schema";

const iso = z.iso.datetime().openapi({ example: "2026-04-26T10:00:00.000Z" });
const at = (d: Date) => d.toISOString();
const atOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    apiKeyId: z
      .string()
      .openapi({ description: "Public part of the current API key (`mk_…`); the secret is never stored", example: "mk_3f9a0c1b2d4e" }),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("MarketingUser");
export const userJson = (u: User) => ({
  id: u.id,
  email: u.email,
  apiKeyId: u.apiKey,
  createdAt: at(u.createdAt),
  updatedAt: at(u.updatedAt),
});

export const IssuedKeySchema = z
  .object({
    user: UserSchema,
    apiKey: z.string().openapi({ description: "The full key, shown once: `mk_<id>_<secret>`" }),
  })
  .openapi("MarketingIssuedKey");

export const ChannelSchema = z
  .object({
    id: z.uuid(),
    channel: channelSchema,
    channelUserId: z.string(),
    channelUsername: z.string().nullable(),
    linkedAt: iso,
  })
  .openapi("MarketingChannel");
export const channelJson = (ch: UserChannel) => ({
  id: ch.id,
  channel: ch.channel,
  channelUserId: ch.channelUserId,
  channelUsername: ch.channelUsername,
  linkedAt: at(ch.linkedAt),
});

export const UserWithChannelsSchema = UserSchema.extend({ channels: z.array(ChannelSchema) }).openapi("MarketingUserWithChannels");

export const ClientSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    s3Prefix: z.string().openapi({ example: "clients/yaz-automate/" }),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("MarketingClient");
export const clientJson = (cl: Client) => ({
  id: cl.id,
  name: cl.name,
  slug: cl.slug,
  description: cl.description,
  s3Prefix: cl.s3Prefix,
  createdAt: at(cl.createdAt),
  updatedAt: at(cl.updatedAt),
});

export const SkillSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    type: skillTypeSchema,
    s3Key: z.string(),
    hasRules: z.boolean(),
    hasSubdirectories: z.boolean(),
    triggerKeywords: z.array(z.string()),
    relatedSkills: z.array(z.string()),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("MarketingSkill");
export const skillJson = (s: Skill) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  type: s.type,
  s3Key: s.s3Key,
  hasRules: s.hasRules,
  hasSubdirectories: s.hasSubdirectories,
  triggerKeywords: s.triggerKeywords,
  relatedSkills: s.relatedSkills ?? [],
  createdAt: at(s.createdAt),
  updatedAt: at(s.updatedAt),
});

export const OutputSchema = z
  .object({
    id: z.uuid(),
    runId: z.uuid(),
    s3Key: z.string().openapi({ example: "outputs/copywriting/acme-markdown-2026-04-26-0b7c….md" }),
    format: outputFormatSchema,
    title: z.string().nullable(),
    preview: z.string().nullable().openapi({ description: "First 500 characters of the content" }),
    sizeBytes: z.number().int().nullable(),
    createdAt: iso,
  })
  .openapi("MarketingOutput");
export const outputJson = (o: Output) => ({
  id: o.id,
  runId: o.runId,
  s3Key: o.s3Key,
  format: o.format,
  title: o.title,
  preview: o.preview,
  sizeBytes: o.sizeBytes,
  createdAt: at(o.createdAt),
});

export const RunSchema = z
  .object({
    id: z.uuid(),
    skill: z.string().openapi({ description: "Skill name" }),
    clientId: z.uuid().nullable(),
    status: runStatusSchema,
    userMessage: z.string(),
    inngestEventId: z.string().nullable(),
    tokensInput: z.number().int().nullable(),
    tokensOutput: z.number().int().nullable(),
    errorMessage: z.string().nullable(),
    metadata: z.unknown().nullable().openapi({ description: "The JSON given at creation (stored as text)" }),
    queuedAt: iso,
    startedAt: iso.nullable(),
    completedAt: iso.nullable(),
    outputs: z.array(OutputSchema),
  })
  .openapi("MarketingRun");

function parseMetadata(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
export const runJson = (r: Run, skill: string, outs: Output[]) => ({
  id: r.id,
  skill,
  clientId: r.clientId,
  status: r.status,
  userMessage: r.userMessage,
  inngestEventId: r.inngestEventId,
  tokensInput: r.tokensInput,
  tokensOutput: r.tokensOutput,
  errorMessage: r.errorMessage,
  metadata: parseMetadata(r.metadata),
  queuedAt: at(r.queuedAt),
  startedAt: atOrNull(r.startedAt),
  completedAt: atOrNull(r.completedAt),
  outputs: outs.map(outputJson),
});

const score = z.number().int().min(1).max(5);
export const FeedbackSchema = z
  .object({
    id: z.uuid(),
    outputId: z.uuid(),
    accuracyScore: score.nullable(),
    qualityScore: score.nullable(),
    usefulnessScore: score.nullable(),
    ruleComplianceScore: score.nullable(),
    overallScore: score,
    whatWorkedWell: z.string().nullable(),
    issues: z.array(feedbackIssueSchema),
    suggestedRuleChanges: z.array(ruleChangeSchema),
    source: feedbackSourceSchema,
    reviewerName: z.string().nullable(),
    createdAt: iso,
  })
  .openapi("MarketingFeedback");
export const feedbackJson = (f: Feedback) => ({
  id: f.id,
  outputId: f.outputId,
  accuracyScore: f.accuracyScore,
  qualityScore: f.qualityScore,
  usefulnessScore: f.usefulnessScore,
  ruleComplianceScore: f.ruleComplianceScore,
  overallScore: f.overallScore,
  whatWorkedWell: f.whatWorkedWell,
  issues: f.issues ?? [],
  suggestedRuleChanges: f.suggestedRuleChanges ?? [],
  source: f.source,
  reviewerName: f.reviewerName,
  createdAt: at(f.createdAt),
});

/** `{ items, page, pageSize, hasNext }` */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), hasNext: z.boolean() }).openapi(name);
