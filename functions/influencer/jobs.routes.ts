import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { userAuth, userSecurity } from "./auth";
import { JobInput } from "./campaigns.routes";
import { CreatorSchema, JobSchema, pageSchema } from "./responses";
import { JOB_STATUSES } from "./schema";
import { qstashSigned } from "./steps";

const tags = ["influencer"];

export const createJob = createRoute({
  operationId: "influencerCreateJob",
  method: "post",
  path: "/campaigns/{id}/jobs",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Add a scraping job to one of the caller's campaigns",
  description:
    "Inserted only when the campaign is the caller's, not completed or archived, and of the search type the body's fields fit (`keywords` for keyword, `targetUsername` for similar); a draft campaign becomes active in the same transaction. The first step is then sent.",
  "x-round-trips": {
    "config-cold": 2,
    reason:
      "the target-results cap and the job timeout come from system configurations; when Redis does not hold them they are read from Postgres first",
  },
  request: { params: uuidParams("id"), body: jsonBody(JobInput) },
  responses: {
    201: jsonContent(JobSchema, "Created; `Location` names the job"),
    ...problemResponses(400, 401, 404, 503),
    409: problemResponse("The campaign is completed or archived"),
    422: problemResponse("The job's search fields do not fit the campaign's search type"),
  },
});

export const ListJobsQuery = listQuerySchema(["createdAt", "updatedAt", "status"]).extend({
  status: z.enum(JOB_STATUSES).optional(),
});

export const listJobs = createRoute({
  operationId: "influencerListJobs",
  method: "get",
  path: "/campaigns/{id}/jobs",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The scraping jobs of one of the caller's campaigns, with their progress",
  request: { params: uuidParams("id"), query: ListJobsQuery },
  responses: { 200: jsonContent(pageSchema(JobSchema, "InfluencerJobPage"), "A page of jobs"), ...problemResponses(400, 401, 404, 503) },
});

export const getJob = createRoute({
  operationId: "influencerGetJob",
  method: "get",
  path: "/jobs/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's scraping jobs with its progress",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(JobSchema, "The job"), ...problemResponses(400, 401, 404, 503) },
});

export const ResultsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const JobResultsSchema = z
  .object({
    job: JobSchema,
    items: z.array(CreatorSchema),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasNext: z.boolean(),
  })
  .openapi("InfluencerJobResults");

export const getJobResults = createRoute({
  operationId: "influencerGetJobResults",
  method: "get",
  path: "/jobs/{id}/results",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The job's creators: all result pages flattened into one list, de-duplicated by handle",
  description:
    "The seed's `results.flatMap(r => r.creators)`, done in SQL: newest result page first, creators in page order. A creator's handle is `creator.uniqueId` (TikTok), `username` (Instagram) or the channel name (YouTube), compared without `@` and case; the newest occurrence is kept. Creators with no handle are all kept.",
  request: { params: uuidParams("id"), query: ResultsQuery },
  responses: { 200: jsonContent(JobResultsSchema, "The job and a page of its creators"), ...problemResponses(400, 401, 404, 503) },
});

export const StepBody = z
  .object({
    jobId: z.uuid(),
    cursor: z
      .number()
      .int()
      .min(0)
      .openapi({ description: "The job's cursor when the step was sent; a step whose cursor no longer matches changes nothing" }),
  })
  .openapi("InfluencerStep");

export const StepOutcomeSchema = z
  .object({
    outcome: z.enum(["advanced", "completed", "error", "ignored"]),
    reason: z.string().optional(),
    job: JobSchema.nullable(),
    next: z.object({ cursor: z.number().int(), transport: z.enum(["qstash", "queue", "failed"]) }).nullable(),
  })
  .openapi("InfluencerStepOutcome");

export const processJob = createRoute({
  operationId: "influencerProcessJob",
  method: "post",
  path: "/jobs/{id}/process",
  tags,
  security: [{ qstashSignature: [] }],
  middleware: qstashSigned,
  summary: "Run one scraping step (QStash callback)",
  description:
    "Signed by QStash (`Upstash-Signature`, current or next signing key, bound to this URL and body). Fetches one page from the scraper API at the job's cursor, stores it in `scraping_results`, and advances runs, results, cursor, progress and status in one transaction; then sends the next step. A step for a finished job, or whose cursor no longer matches (a redelivery), changes nothing and answers `ignored`. A scraper that is down or slow answers 503 with Retry-After (QStash retries); one that answers garbage fails the job (`error`).",
  "x-round-trips": {
    signed: 2,
    "config-cold": 3,
    reason:
      "the job is read first (a finished or stale step must not call the paid scraper API), then the page and the job's progress are written in one transaction after the scraper call; with system configurations not in Redis, they are read from Postgres in between",
  },
  request: { params: uuidParams("id"), body: jsonBody(StepBody) },
  responses: {
    200: jsonContent(StepOutcomeSchema, "What the step did"),
    400: problemResponse("The signature does not hold (`/problems/invalid-signature`: nothing changed), or the signed body is invalid"),
    ...problemResponses(503),
  },
});
