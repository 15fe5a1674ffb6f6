/** Response schemas next to their row → JSON mappers. Timestamps are ISO 8601 (UTC). */
import { z } from "@hono/zod-openapi";
import {
  CAMPAIGN_STATUSES,
  type Campaign,
  JOB_STATUSES,
  ONBOARDING_STEPS,
  REMINDER_KINDS,
  REMINDER_STATUSES,
  SEARCH_TYPES,
  type ScrapingJob,
  SUBSCRIPTION_STATUSES,
  TRIAL_STATUSES,
  type TrialReminder,
  type UserProfile,
} from "./schema";
import type { ConfigRow } from "./system-config";

const iso = z.string().openapi({ format: "date-time", example: "2026-04-26T10:00:00.000Z" });
const at = (d: Date) => d.toISOString();
const atOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const ProfileSchema = z
  .object({
    userId: z.string().openapi({ example: "user_2abc" }),
    email: z.string().nullable(),
    name: z.string().nullable(),
    companyName: z.string().nullable(),
    industry: z.string().nullable(),
    signupTimestamp: iso,
    onboardingStep: z.enum(ONBOARDING_STEPS),
    fullName: z.string().nullable(),
    businessName: z.string().nullable(),
    brandDescription: z.string().nullable(),
    trialStatus: z.enum(TRIAL_STATUSES).nullable(),
    trialStartDate: iso.nullable(),
    trialEndDate: iso.nullable(),
    subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).nullable(),
    isAdmin: z.boolean(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("InfluencerProfile");
export const profileJson = (p: UserProfile) => ({
  userId: p.userId,
  email: p.email,
  name: p.name,
  companyName: p.companyName,
  industry: p.industry,
  signupTimestamp: at(p.signupTimestamp),
  onboardingStep: p.onboardingStep,
  fullName: p.fullName,
  businessName: p.businessName,
  brandDescription: p.brandDescription,
  trialStatus: p.trialStatus,
  trialStartDate: atOrNull(p.trialStartDate),
  trialEndDate: atOrNull(p.trialEndDate),
  subscriptionStatus: p.subscriptionStatus,
  isAdmin: p.isAdmin === true,
  createdAt: at(p.createdAt),
  updatedAt: at(p.updatedAt),
});

export const ReminderSchema = z
  .object({
    kind: z.enum(REMINDER_KINDS),
    dueAt: iso,
    status: z
      .enum(REMINDER_STATUSES)
      .openapi({ description: "`due` once the sweep reached it; no e-mail is sent (no mail provider): the record is the reminder" }),
    markedAt: iso.nullable(),
  })
  .openapi("InfluencerTrialReminder");
export const reminderJson = (r: TrialReminder) => ({ kind: r.kind, dueAt: at(r.dueAt), status: r.status, markedAt: atOrNull(r.markedAt) });

export const TrialSchema = z
  .object({
    status: z.enum(TRIAL_STATUSES).nullable(),
    startDate: iso.nullable(),
    endDate: iso.nullable(),
    subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).nullable(),
    reminders: z.array(ReminderSchema),
  })
  .openapi("InfluencerTrial");
export const trialJson = (p: UserProfile, reminders: TrialReminder[]) => ({
  status: p.trialStatus,
  startDate: atOrNull(p.trialStartDate),
  endDate: atOrNull(p.trialEndDate),
  subscriptionStatus: p.subscriptionStatus,
  reminders: reminders.map(reminderJson),
});

export const JobSchema = z
  .object({
    id: z.uuid(),
    campaignId: z.uuid().nullable(),
    platform: z.string().openapi({ example: "TikTok" }),
    keywords: z.array(z.string()).nullable(),
    targetUsername: z.string().nullable(),
    searchParams: z.record(z.string(), z.unknown()).nullable(),
    region: z.string(),
    status: z.enum(JOB_STATUSES),
    processedRuns: z.number().int(),
    processedResults: z.number().int(),
    targetResults: z.number().int(),
    cursor: z.number().int().nullable(),
    progress: z.number().openapi({ description: "0–100" }),
    error: z.string().nullable(),
    createdAt: iso,
    startedAt: iso.nullable(),
    completedAt: iso.nullable(),
    timeoutAt: iso.nullable(),
    updatedAt: iso,
  })
  .openapi("InfluencerScrapingJob");
export const jobJson = (j: ScrapingJob) => ({
  id: j.id,
  campaignId: j.campaignId,
  platform: j.platform,
  keywords: j.keywords ?? null,
  targetUsername: j.targetUsername,
  searchParams: j.searchParams ?? null,
  region: j.region,
  status: j.status,
  processedRuns: j.processedRuns,
  processedResults: j.processedResults,
  targetResults: j.targetResults,
  cursor: j.cursor,
  progress: Number(j.progress ?? 0),
  error: j.error,
  createdAt: at(j.createdAt),
  startedAt: atOrNull(j.startedAt),
  completedAt: atOrNull(j.completedAt),
  timeoutAt: atOrNull(j.timeoutAt),
  updatedAt: at(j.updatedAt),
});

export const CampaignSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    searchType: z.enum(SEARCH_TYPES),
    status: z.enum(CAMPAIGN_STATUSES),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("InfluencerCampaign");
export const campaignJson = (c: Campaign) => ({
  id: c.id,
  name: c.name,
  description: c.description,
  searchType: c.searchType,
  status: c.status,
  createdAt: at(c.createdAt),
  updatedAt: at(c.updatedAt),
});

export const CampaignWithJobsSchema = CampaignSchema.extend({ jobs: z.array(JobSchema) }).openapi("InfluencerCampaignWithJobs");
export const CreatedCampaignSchema = CampaignSchema.extend({ job: JobSchema.nullable() }).openapi("InfluencerCreatedCampaign");

export const CreatorSchema = z.record(z.string(), z.unknown()).openapi("InfluencerCreator", {
  description: "One creator as the platform's scraper returned it (shapes differ per platform and search type; see seed 004)",
});

export const ConfigSchema = z
  .object({
    category: z.string(),
    key: z.string(),
    value: z.string(),
    valueType: z.string(),
    description: z.string().nullable(),
    isHotReloadable: z.string(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("InfluencerSystemConfiguration");
export const configJson = (r: ConfigRow) => ({ ...r });

export const AdminSchema = z
  .object({
    userId: z.string(),
    fullName: z.string().nullable(),
    email: z.string().nullable(),
    isAdmin: z.boolean(),
    updatedAt: iso,
  })
  .openapi("InfluencerAdmin");
export const adminJson = (p: Pick<UserProfile, "userId" | "fullName" | "email" | "isAdmin" | "updatedAt">) => ({
  userId: p.userId,
  fullName: p.fullName,
  email: p.email,
  isAdmin: p.isAdmin === true,
  updatedAt: at(p.updatedAt),
});

/** `{ items, page, pageSize, hasNext }` */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), hasNext: z.boolean() }).openapi(name);
