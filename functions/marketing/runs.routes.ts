import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { pageSchema, RunSchema } from "./shapes";
import { listRunsQuerySchema, slugSchema } from "./validation";

const tags = ["marketing"];

export const CreateRunBody = z
  .object({
    skill: slugSchema.openapi({ description: "Skill name", example: "copywriting" }),
    clientId: z.uuid().optional().openapi({ description: "One of the caller's clients" }),
    userMessage: z.string().trim().min(1).max(20_000),
    metadata: z.record(z.string(), z.unknown()).optional().openapi({ description: "Free-form context, stored as JSON text" }),
    execute: z.boolean().optional().openapi({
      description:
        "`true`: also queue the run for execution by the server (the `marketing.executeRun` job); `inngestEventId` names the job",
    }),
  })
  .openapi("MarketingCreateRun");

export const createRun = createRoute({
  operationId: "marketingCreateRun",
  method: "post",
  path: "/runs",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Queue a run of a skill",
  description:
    "With `execute: true` the server runs it: a job loads the skill's files and the client's context from R2, calls the module's model, stores the answer as an output and completes (or fails) the run.",
  request: { body: jsonBody(CreateRunBody) },
  responses: {
    201: jsonContent(RunSchema, "Queued; `Location` names the run"),
    ...problemResponses(400, 401),
    422: problemResponse("`skill` names no skill, or `clientId` is not one of the caller's clients"),
  },
});

export const ListRunsQuery = listRunsQuerySchema.extend({
  skill: slugSchema.optional().openapi({ description: "Only runs of this skill" }),
});

export const listRuns = createRoute({
  operationId: "marketingListRuns",
  method: "get",
  path: "/runs",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's recent runs with their outputs",
  description: "Newest `queuedAt` first unless asked otherwise; filter by `status` and `skill`; `q` searches the user message.",
  request: { query: ListRunsQuery },
  responses: { 200: jsonContent(pageSchema(RunSchema, "MarketingRunPage"), "A page of runs"), ...problemResponses(400, 401) },
});

export const getRun = createRoute({
  operationId: "marketingGetRun",
  method: "get",
  path: "/runs/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's runs with its outputs",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(RunSchema, "The run"), ...problemResponses(400, 401, 404) },
});

export const CompleteRunBody = z
  .object({
    tokensInput: z.number().int().min(0).max(2_147_483_647),
    tokensOutput: z.number().int().min(0).max(2_147_483_647),
  })
  .openapi("MarketingCompleteRun");

export const FailRunBody = z
  .object({
    errorMessage: z.string().trim().min(1).max(10_000),
  })
  .openapi("MarketingFailRun");

const transitionResponses = {
  200: jsonContent(RunSchema, "The run after the move"),
  ...problemResponses(400, 401, 404),
  409: problemResponse("The run's status does not allow this move"),
};
const transition = (from: string) => ({
  method: "post" as const,
  tags,
  security: userSecurity,
  middleware: userAuth,
  description: `Allowed from ${from}; any other status answers 409. One conditional UPDATE.`,
  responses: transitionResponses,
});
const runId = uuidParams("id");

export const startRun = createRoute({
  operationId: "marketingStartRun",
  ...transition("`queued`"),
  path: "/runs/{id}/start",
  summary: "Start a queued run (sets startedAt)",
  request: { params: runId },
});
export const completeRun = createRoute({
  operationId: "marketingCompleteRun",
  ...transition("`running`"),
  path: "/runs/{id}/complete",
  summary: "Complete a running run (sets completedAt and the token counts)",
  request: { params: runId, body: jsonBody(CompleteRunBody) },
});
export const failRun = createRoute({
  operationId: "marketingFailRun",
  ...transition("`running`"),
  path: "/runs/{id}/fail",
  summary: "Fail a running run (sets completedAt and errorMessage)",
  request: { params: runId, body: jsonBody(FailRunBody) },
});
export const cancelRun = createRoute({
  operationId: "marketingCancelRun",
  ...transition("`queued` or `running`"),
  path: "/runs/{id}/cancel",
  summary: "Cancel a queued or running run (sets completedAt)",
  request: { params: runId },
});

export const executeRun = createRoute({
  operationId: "marketingExecuteRun",
  method: "post",
  path: "/runs/{id}/execute",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Have the server execute a queued run",
  description:
    "Queues the `marketing.executeRun` job and sets `inngestEventId` to its id; a job queued before for the same run is superseded and does nothing. One conditional UPDATE.",
  request: { params: runId },
  responses: {
    202: jsonContent(RunSchema, "Queued for execution"),
    ...problemResponses(400, 401, 404),
    409: problemResponse("The run is not `queued`"),
  },
});
