import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { JobDetailSchema, JobSchema, pageSchema, RunQueuedSchema } from "./responses";
import { asUser, asUserCreate } from "./route-kit";
import { listJobsSchema } from "./validation";

const definitionNL = z.string().trim().min(5).max(1000).openapi({
  description:
    'The schedule in plain words ("every 15 minutes", "every day at 09:00", "weekdays at 8am", "hourly", "every monday at 8am") or a 5-field cron expression',
  example: "weekdays at 8am",
});
const timezone = z.string().min(1).max(64).openapi({ description: "IANA time zone the schedule is read in", example: "Europe/Paris" });
const llmModel = z.string().trim().min(1).max(200).nullable().openapi({
  description: "When set, each run ends with an LLM step: this model gets the definition, the context and the endpoint results",
  example: "openai/gpt-4o-mini",
});

export const CreateJobBody = z
  .object({
    definitionNL,
    timezone: timezone.default("UTC"),
    status: z.enum(["ACTIVE", "PAUSED"]).default("PAUSED").openapi({ description: "The seed's default is PAUSED" }),
    llmModel: llmModel.optional(),
  })
  .openapi("SchedulerCreateJob");

export const PatchJobBody = z
  .object({
    definitionNL: definitionNL.optional(),
    timezone: timezone.optional(),
    llmModel: llmModel.optional(),
  })
  .openapi("SchedulerPatchJob");

const scheduleProblem = problemResponse("Invalid input; for `definitionNL`, `detail` says which part of the schedule was not understood");
const jobId = uuidParams("id");

export const createJob = createRoute({
  ...asUserCreate("CreateJob"),
  method: "post",
  path: "/jobs",
  summary: "Create a job from a schedule in plain words",
  request: { body: jsonBody(CreateJobBody) },
  responses: { 201: jsonContent(JobSchema, "Created; `Location` names the job"), 400: scheduleProblem, ...problemResponses(401, 422) },
});

export const listJobs = createRoute({
  ...asUser("ListJobs"),
  method: "get",
  path: "/jobs",
  summary: "The caller's jobs, a page at a time",
  description:
    "The seed's `listJobsSchema`: `page`, `pageSize` (≤ 100, default 10), `sortBy` createdAt | updatedAt | definitionNL, `sortDirection`, `searchQuery` (case-insensitive substring of the definition). `hasNext` comes from one extra row.",
  request: { query: listJobsSchema },
  responses: { 200: jsonContent(pageSchema(JobSchema, "SchedulerJobPage"), "A page of jobs"), ...problemResponses(400, 401) },
});

export const getJob = createRoute({
  ...asUser("GetJob"),
  method: "get",
  path: "/jobs/{id}",
  summary: "A job with its endpoints, context, recent messages and tasks",
  request: { params: jobId },
  responses: { 200: jsonContent(JobDetailSchema, "The job"), ...problemResponses(400, 401, 404) },
});

const readsSchedule = {
  "x-round-trips": {
    warm: 2,
    cold: 3,
    session: 2,
    reason:
      "nextRunAt is computed in the Worker (croner) from the stored schedule and time zone, so they are read first; the write is conditional on what was read (409 on a concurrent change)",
  },
};

export const patchJob = createRoute({
  ...asUser("PatchJob"),
  method: "patch",
  path: "/jobs/{id}",
  summary: "Change a job's schedule, time zone or LLM model",
  description: "A new schedule or time zone recomputes `nextRunAt` from now.",
  request: { params: jobId, body: jsonBody(PatchJobBody) },
  responses: {
    200: jsonContent(JobSchema, "The job"),
    400: scheduleProblem,
    ...problemResponses(401, 404),
    409: problemResponse("The job is archived, or changed meanwhile"),
  },
  ...readsSchedule,
});

export const deleteJob = createRoute({
  ...asUser("DeleteJob"),
  method: "delete",
  path: "/jobs/{id}",
  summary: "Delete a job with its endpoints, context, messages, tasks and usage",
  request: { params: jobId },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});

const move = (name: string, path: string, summary: string, from: string) =>
  createRoute({
    ...asUser(name),
    method: "post",
    path,
    summary,
    description: `Allowed from ${from}; any other status answers 409.`,
    request: { params: jobId },
    responses: {
      200: jsonContent(JobSchema, "The job after the move"),
      ...problemResponses(400, 401, 404),
      409: problemResponse("The job's status does not allow this move"),
    },
  });

export const pauseJob = move("PauseJob", "/jobs/{id}/pause", "Pause an active job", "ACTIVE");
export const archiveJob = move("ArchiveJob", "/jobs/{id}/archive", "Archive a job (final)", "ACTIVE or PAUSED");
export const resumeJob = createRoute({
  ...asUser("ResumeJob"),
  method: "post",
  path: "/jobs/{id}/resume",
  summary: "Resume a paused job",
  description:
    "Allowed from PAUSED. `nextRunAt` is recomputed from now (runs missed while paused are skipped) and the failure streak is reset.",
  request: { params: jobId },
  responses: {
    200: jsonContent(JobSchema, "The job after the move"),
    ...problemResponses(400, 401, 404),
    409: problemResponse("The job's status does not allow this move"),
  },
  ...readsSchedule,
});

export const runJob = createRoute({
  ...asUserCreate("RunJob"),
  method: "post",
  path: "/jobs/{id}/run",
  summary: "Run a job now",
  description: "Takes the job's lease and queues one run (ACTIVE or PAUSED jobs). The schedule is not changed.",
  request: { params: jobId },
  responses: {
    202: jsonContent(RunQueuedSchema, "Queued"),
    ...problemResponses(400, 401, 404, 503),
    409: problemResponse("The job is archived, or a run holds it already"),
  },
});
