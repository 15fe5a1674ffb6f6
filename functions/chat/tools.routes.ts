import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { adminAuth, adminSecurity, userAuth, userSecurity } from "./auth";
import { checkToolParameters } from "./json-schema";
import { AgentToolSchema, pageSchema } from "./responses";

const tags = ["chat"];
const jsonObject = z.record(z.string(), z.unknown());
const toolName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, "a function name: letters, digits, '_' (at most 64)");
const parameters = jsonObject
  .superRefine(checkToolParameters)
  .openapi({ description: "A JSON Schema (type object) of the tool's parameters; checked to be a valid schema" });

export const CreateToolBody = z
  .object({
    name: toolName,
    description: z.string().trim().min(1).max(2000),
    schema: parameters,
    metadata: jsonObject.optional(),
  })
  .openapi("ChatCreateAgentTool");

export const PatchToolBody = z
  .object({
    name: toolName.optional(),
    description: z.string().trim().min(1).max(2000).optional(),
    schema: parameters.optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("ChatPatchAgentTool");

export const ListToolsQuery = listQuerySchema(["name", "createdAt"], { pageSize: 100 }).extend({
  sortDirection: z.enum(["asc", "desc"]).default("asc"),
  isSystem: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

const nameClash = problemResponse("A tool with this name exists");

export const listTools = createRoute({
  method: "get",
  path: "/agent-tools",
  operationId: "chatListTools",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The agent tools (system and custom)",
  request: { query: ListToolsQuery },
  responses: { 200: jsonContent(pageSchema(AgentToolSchema, "ChatAgentToolPage"), "A page of tools"), ...problemResponses(400, 401) },
});

export const getTool = createRoute({
  method: "get",
  path: "/agent-tools/{id}",
  operationId: "chatGetTool",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One agent tool",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(AgentToolSchema, "The tool"), ...problemResponses(400, 401, 404) },
});

export const createTool = createRoute({
  method: "post",
  path: "/agent-tools",
  operationId: "chatCreateTool",
  tags,
  security: adminSecurity,
  middleware: [adminAuth, idempotent()] as const,
  summary: "Create a custom tool (admin)",
  request: { body: jsonBody(CreateToolBody) },
  responses: { 201: jsonContent(AgentToolSchema, "Created; `Location` names it"), ...problemResponses(400, 401, 403), 409: nameClash },
});

export const patchTool = createRoute({
  method: "patch",
  path: "/agent-tools/{id}",
  operationId: "chatPatchTool",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "Change a custom tool (admin); system tools are read-only",
  request: { params: uuidParams("id"), body: jsonBody(PatchToolBody) },
  responses: {
    200: jsonContent(AgentToolSchema, "The updated tool"),
    ...problemResponses(400, 401, 404),
    403: problemResponse("Not the admin token, or a system tool (seeded, read-only)"),
    409: nameClash,
  },
});
