import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { llmLimit, userAuth, userSecurity } from "./auth";
import { pageSchema, WorkflowSchema } from "./responses";
import { workflowStatusSchema } from "./validation";

const tags = ["chat"];

export const StartWorkflowBody = z
  .object({
    agentInstanceId: z.uuid().openapi({ description: "One of the caller's active agent instances" }),
    goal: z.string().trim().min(1).max(10_000),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("ChatStartWorkflow");

export const ListWorkflowsQuery = listQuerySchema(["createdAt", "updatedAt"]).extend({
  status: workflowStatusSchema.optional(),
  agentInstanceId: z.uuid().optional(),
});

export const startWorkflow = createRoute({
  method: "post",
  path: "/workflows",
  operationId: "chatStartWorkflow",
  tags,
  security: userSecurity,
  middleware: [userAuth, llmLimit, idempotent()] as const,
  summary: "Start a workflow of an agent instance towards a goal",
  description:
    "Runs in the background on the JOBS queue: `pending → running → completed | failed`, each step appended to `steps` as it finishes (plan, act, summarize). Poll GET /workflows/{id}.",
  request: { body: jsonBody(StartWorkflowBody) },
  responses: {
    202: jsonContent(WorkflowSchema, "Queued; `Location` names it"),
    ...problemResponses(400, 401, 429),
    409: problemResponse("The instance is paused or archived"),
    422: problemResponse("`agentInstanceId` is not one of the caller's instances"),
  },
});

export const listWorkflows = createRoute({
  method: "get",
  path: "/workflows",
  operationId: "chatListWorkflows",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's workflows",
  request: { query: ListWorkflowsQuery },
  responses: { 200: jsonContent(pageSchema(WorkflowSchema, "ChatWorkflowPage"), "A page of workflows"), ...problemResponses(400, 401) },
});

export const getWorkflow = createRoute({
  method: "get",
  path: "/workflows/{id}",
  operationId: "chatGetWorkflow",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's workflows with its steps",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(WorkflowSchema, "The workflow"), ...problemResponses(400, 401, 404) },
});
