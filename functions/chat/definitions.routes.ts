import { createRoute, z } from "@hono/zod-openapi";
import { edgeCached, notModifiedResponse } from "../../src/cache/edge-cache";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { userAuth, userSecurity } from "./auth";
import { EDGE_NAME, EDGE_TTL_SECONDS } from "./catalogue.cache";
import { AgentDefinitionSchema, pageSchema } from "./responses";

const tags = ["chat"];
const jsonObject = z.record(z.string(), z.unknown());
const toolIds = z
  .array(z.uuid())
  .max(50)
  .refine((a) => new Set(a).size === a.length, "tool ids must be unique")
  .openapi({ description: "ids of existing agent tools (GET /agent-tools); unknown ids answer 400 naming them" });

export const CreateDefinitionBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(5000),
    systemPrompt: z.string().trim().min(1).max(50_000),
    isPublic: z.boolean().default(false),
    tools: toolIds.default([]),
    capabilities: jsonObject.optional(),
    metadata: jsonObject.optional(),
  })
  .openapi("ChatCreateAgentDefinition");

export const PatchDefinitionBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().min(1).max(5000).optional(),
    systemPrompt: z.string().trim().min(1).max(50_000).optional(),
    isPublic: z.boolean().optional(),
    tools: toolIds.optional(),
    capabilities: jsonObject.nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("ChatPatchAgentDefinition");

export const ListDefinitionsQuery = listQuerySchema(["createdAt", "updatedAt", "name"]);
export const CatalogueQuery = listQuerySchema(["createdAt"]).omit({ sortBy: true, sortDirection: true });

const id = uuidParams("id");
const badTools = problemResponse("Invalid input; `errors` names each unknown tool id (`body.tools.<i>`)");

export const createDefinition = createRoute({
  method: "post",
  path: "/agent-definitions",
  operationId: "chatCreateDefinition",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Define an agent",
  request: { body: jsonBody(CreateDefinitionBody) },
  responses: { 201: jsonContent(AgentDefinitionSchema, "Created; `Location` names it"), 400: badTools, ...problemResponses(401, 409) },
});

export const listDefinitions = createRoute({
  method: "get",
  path: "/agent-definitions",
  operationId: "chatListDefinitions",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's own agent definitions",
  description: "`q` searches the name.",
  request: { query: ListDefinitionsQuery },
  responses: {
    200: jsonContent(pageSchema(AgentDefinitionSchema, "ChatAgentDefinitionPage"), "A page of definitions"),
    ...problemResponses(400, 401),
  },
});

export const listPublicDefinitions = createRoute({
  method: "get",
  path: "/agent-definitions/public",
  operationId: "chatListPublicDefinitions",
  tags,
  security: [],
  summary: "The public agent catalogue (no sign-in needed)",
  description:
    "Public definitions of every user, newest first; `q` searches the name. Served from the colo's cache (30 s; `ETag`, `If-None-Match` → 304) and Redis (CHAT_CACHE_TTL_SECONDS); any change to a definition refreshes it (other colos within 30 s).",
  middleware: [edgeCached({ name: EDGE_NAME, ttlSeconds: EDGE_TTL_SECONDS })] as const,
  request: { query: CatalogueQuery },
  responses: {
    200: jsonContent(pageSchema(AgentDefinitionSchema, "ChatAgentCataloguePage"), "A page of the catalogue"),
    304: notModifiedResponse,
    ...problemResponses(400),
  },
});

export const getDefinition = createRoute({
  method: "get",
  path: "/agent-definitions/{id}",
  operationId: "chatGetDefinition",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's definitions, or a public one",
  request: { params: id },
  responses: { 200: jsonContent(AgentDefinitionSchema, "The definition"), ...problemResponses(400, 401, 404) },
});

export const patchDefinition = createRoute({
  method: "patch",
  path: "/agent-definitions/{id}",
  operationId: "chatPatchDefinition",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Change one of the caller's definitions",
  request: { params: id, body: jsonBody(PatchDefinitionBody) },
  responses: { 200: jsonContent(AgentDefinitionSchema, "The updated definition"), 400: badTools, ...problemResponses(401, 404) },
});

export const deleteDefinition = createRoute({
  method: "delete",
  path: "/agent-definitions/{id}",
  operationId: "chatDeleteDefinition",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete one of the caller's definitions",
  request: { params: id },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(400, 401, 404),
    409: problemResponse("Agent instances (anyone's, when it was public) still use this definition"),
  },
});
