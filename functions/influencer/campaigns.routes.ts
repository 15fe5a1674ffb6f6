import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { listQuerySchema } from "../../src/http/pagination";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { CampaignSchema, CampaignWithJobsSchema, CreatedCampaignSchema, pageSchema } from "./responses";
import { CAMPAIGN_STATUSES, PLATFORMS, SEARCH_TYPES } from "./schema";

const tags = ["influencer"];
const configCold = {
  "config-cold": 2,
  reason:
    "the target-results cap and the job timeout come from system configurations; when Redis does not hold them they are read from Postgres first",
};

/** A scraping job's search: keywords for a `keyword` campaign, a target username for a `similar` one. */
export const JobInput = z
  .object({
    platform: z.enum(PLATFORMS).openapi({ description: "Exact casing" }),
    keywords: z
      .array(z.string().trim().min(1).max(100))
      .min(1)
      .max(20)
      .optional()
      .openapi({ example: ["fitness", "workout"] }),
    targetUsername: z.string().trim().min(1).max(100).optional().openapi({ example: "@originalcreator" }),
    region: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, "two upper-case letters (ISO 3166-1)")
      .default("US"),
    targetResults: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .openapi({ description: "Capped by `api.max_results_testing` / `api.max_results_production` (the default when absent)" }),
    searchParams: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Filters, sorting … passed to the scraper as given" }),
  })
  .openapi("InfluencerJobInput");
export type JobInputT = z.infer<typeof JobInput>;

/** Issues for a job whose search fields do not fit the campaign's search type. */
export function searchFieldIssues(searchType: (typeof SEARCH_TYPES)[number], job: JobInputT, prefix: string[]) {
  const issues: { path: string[]; message: string }[] = [];
  if (searchType === "keyword") {
    if (!job.keywords) issues.push({ path: [...prefix, "keywords"], message: "required for a keyword search" });
    if (job.targetUsername !== undefined) issues.push({ path: [...prefix, "targetUsername"], message: "only for a similar search" });
  } else {
    if (!job.targetUsername) issues.push({ path: [...prefix, "targetUsername"], message: "required for a similar search" });
    if (job.keywords !== undefined) issues.push({ path: [...prefix, "keywords"], message: "only for a keyword search" });
  }
  return issues;
}

export const CreateCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    searchType: z.enum(SEARCH_TYPES),
    job: JobInput.optional().openapi({
      description: "The first scraping job, created in the same transaction; the campaign is then `active`",
    }),
  })
  .superRefine((b, ctx) => {
    if (b.job) for (const i of searchFieldIssues(b.searchType, b.job, ["job"])) ctx.addIssue({ code: "custom", ...i });
  })
  .openapi("InfluencerCreateCampaign");

export const createCampaign = createRoute({
  operationId: "influencerCreateCampaign",
  method: "post",
  path: "/campaigns",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Create a campaign, optionally with its first scraping job",
  description:
    "Campaign and job are written in one `db.batch` (one transaction): when the job cannot be stored, neither is. The job's first step is then sent (QStash, or the JOBS queue where QStash is not configured).",
  "x-round-trips": configCold,
  request: { body: jsonBody(CreateCampaignBody) },
  responses: {
    201: jsonContent(CreatedCampaignSchema, "Created; `Location` names the campaign"),
    ...problemResponses(400, 401, 503),
  },
});

export const ListCampaignsQuery = listQuerySchema(["createdAt", "updatedAt", "name"]).extend({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
});

export const listCampaigns = createRoute({
  operationId: "influencerListCampaigns",
  method: "get",
  path: "/campaigns",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's campaigns",
  description: "Newest first unless asked otherwise; `q` matches the name (case-insensitive); filter by `status`.",
  request: { query: ListCampaignsQuery },
  responses: {
    200: jsonContent(pageSchema(CampaignSchema, "InfluencerCampaignPage"), "A page of campaigns"),
    ...problemResponses(400, 401, 503),
  },
});

export const getCampaign = createRoute({
  operationId: "influencerGetCampaign",
  method: "get",
  path: "/campaigns/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's campaigns with its scraping jobs (newest first)",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(CampaignWithJobsSchema, "The campaign"), ...problemResponses(400, 401, 404, 503) },
});

export const PatchCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).nullable().optional(),
    status: z.enum(CAMPAIGN_STATUSES).optional().openapi({
      description: "draft → active | archived; active → completed | archived; completed → active | archived; archived is final",
    }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("InfluencerPatchCampaign");

export const patchCampaign = createRoute({
  operationId: "influencerPatchCampaign",
  method: "patch",
  path: "/campaigns/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Rename, describe or move one of the caller's campaigns",
  request: { params: uuidParams("id"), body: jsonBody(PatchCampaignBody) },
  responses: {
    200: jsonContent(CampaignSchema, "The updated campaign"),
    ...problemResponses(400, 401, 404, 503),
    409: problemResponse("The campaign's status does not allow this move"),
  },
});

export const deleteCampaign = createRoute({
  operationId: "influencerDeleteCampaign",
  method: "delete",
  path: "/campaigns/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete one of the caller's campaigns with its jobs and results",
  description:
    "One transaction: results, jobs (and legacy search jobs/results) of the campaign, then the campaign. A step still in flight for one of its jobs is then ignored.",
  request: { params: uuidParams("id") },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404, 503) },
});
