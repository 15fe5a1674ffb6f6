import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { userAuth, userSecurity } from "./auth";
import { AgentInstanceSchema, pageSchema } from "./responses";
import { agentInstanceStatusSchema } from "./validation";

const tags = ["chat"];
const jsonObject = z.record(z.string(), z.unknown());

export const CreateInstanceBody = z
  .object({
    definitionId: z.uuid().openapi({ description: "One of the caller's definitions or a public one" }),
    name: z.string().trim().min(1).max(200),
    configuration: jsonObject.optional(),
    metadata: jsonObject.optional(),
  })
  .openapi("ChatCreateAgentInstance");

export const PatchInstanceBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    configuration: jsonObject.nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("ChatPatchAgentInstance");

export const ListInstancesQuery = listQuerySchema(["createdAt", "updatedAt", "name"]).extend({
  status: agentInstanceStatusSchema.optional(),
});

const id = uuidParams("id");

export const createInstance = createRoute({
  method: "post",
  path: "/agent-instances",
  operationId: "chatCreateInstance",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Create an agent instance (within the plan's agent limit)",
  description:
    "Non-archived instances are capped by the plan's `agentLimit` (GET /me) inside the insert itself, so concurrent creates cannot overshoot it.",
  request: { body: jsonBody(CreateInstanceBody) },
  responses: {
    201: jsonContent(AgentInstanceSchema, "Created; `Location` names it"),
    ...problemResponses(400, 401, 409),
    403: problemResponse("The plan's agent limit is reached: `agentLimit`, `activeInstances` and `plan` are in the body"),
    422: problemResponse("`definitionId` is neither one of the caller's definitions nor a public one"),
  },
});

export const listInstances = createRoute({
  method: "get",
  path: "/agent-instances",
  operationId: "chatListInstances",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's agent instances",
  request: { query: ListInstancesQuery },
  responses: {
    200: jsonContent(pageSchema(AgentInstanceSchema, "ChatAgentInstancePage"), "A page of instances"),
    ...problemResponses(400, 401),
  },
});

export const getInstance = createRoute({
  method: "get",
  path: "/agent-instances/{id}",
  operationId: "chatGetInstance",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's agent instances",
  request: { params: id },
  responses: { 200: jsonContent(AgentInstanceSchema, "The instance"), ...problemResponses(400, 401, 404) },
});

export const patchInstance = createRoute({
  method: "patch",
  path: "/agent-instances/{id}",
  operationId: "chatPatchInstance",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Rename or reconfigure one of the caller's agent instances",
  request: { params: id, body: jsonBody(PatchInstanceBody) },
  responses: { 200: jsonContent(AgentInstanceSchema, "The updated instance"), ...problemResponses(400, 401, 404) },
});

const move = (path: string, operationId: string, summary: string, from: string) =>
  createRoute({
    method: "post",
    path,
    operationId,
    tags,
    security: userSecurity,
    middleware: userAuth,
    summary,
    description: `Allowed from ${from}; any other status answers 409. One conditional UPDATE.`,
    request: { params: id },
    responses: {
      200: jsonContent(AgentInstanceSchema, "The instance after the move"),
      ...problemResponses(400, 401, 404),
      409: problemResponse("The instance's status does not allow this move"),
    },
  });

export const pauseInstance = move("/agent-instances/{id}/pause", "chatPauseInstance", "Pause an active instance", "`active`");
export const resumeInstance = move("/agent-instances/{id}/resume", "chatResumeInstance", "Resume a paused instance", "`paused`");
export const archiveInstance = move(
  "/agent-instances/{id}/archive",
  "chatArchiveInstance",
  "Archive an instance (final; frees a place under the agent limit)",
  "`active` or `paused`",
);
