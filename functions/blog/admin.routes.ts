/** Admin (ADMIN_TOKEN): the agents' model configs, the app settings (secret ones write-only) and the sessions. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../../src/http/auth";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { cursorQuerySchema } from "../../src/http/pagination";
import { AgentConfigSchema, SessionSchema, SettingSchema } from "./responses";
import { agentIdSchema, blogSessionStatusSchema, settingKeySchema } from "./validation";

const admin = { tags: ["blog"], security: [{ adminToken: [] }], middleware: [requireAdmin] };
const authProblems = problemResponses(401, 403, 503);

export const listAgents = createRoute({
  operationId: "blogListAgents",
  ...admin,
  method: "get",
  path: "/admin/agents",
  summary: "List the agents' model configs",
  responses: { 200: jsonContent(z.object({ items: z.array(AgentConfigSchema) }), "Every agent's config"), ...authProblems },
});

const agentParam = z.object({
  agentId: agentIdSchema.max(100).openapi({ param: { name: "agentId", in: "path" }, example: "blog-writer" }),
});
const agentFields = {
  agentLabel: z.string().trim().min(1).max(200),
  modelId: z.string().trim().min(1).max(200),
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(1).max(1_000_000),
};

export const createAgent = createRoute({
  operationId: "blogCreateAgent",
  ...admin,
  method: "post",
  path: "/admin/agents",
  summary: "Configure an agent's model",
  description: "Adds the config of an agent that has none (a fresh database needs the six of seed 001, or `npm run db:seed`).",
  request: {
    body: jsonBody(
      z
        .object({
          agentId: agentIdSchema.max(100).openapi({ example: "blog-writer" }),
          agentLabel: agentFields.agentLabel,
          modelId: agentFields.modelId.openapi({ example: "openrouter/anthropic/claude-sonnet-4-5-20250929" }),
          temperature: agentFields.temperature.optional().openapi({ description: "default 0.7" }),
          maxTokens: agentFields.maxTokens.optional().openapi({ description: "default 4096" }),
        })
        .openapi("BlogAgentModelConfigInput"),
    ),
  },
  responses: {
    201: { ...jsonContent(AgentConfigSchema, "The new config"), headers: z.object({ Location: z.string() }) },
    ...problemResponses(400),
    409: problemResponse("The agent already has a config (change it with PATCH)"),
    ...authProblems,
  },
});

export const deleteAgent = createRoute({
  operationId: "blogDeleteAgent",
  ...admin,
  method: "delete",
  path: "/admin/agents/{agentId}",
  summary: "Remove an agent's model config",
  description: "Routes that need the agent answer 503 until it is configured again.",
  request: { params: agentParam },
  responses: { 204: { description: "Removed" }, ...problemResponses(400, 404), ...authProblems },
});

export const patchAgent = createRoute({
  operationId: "blogPatchAgent",
  ...admin,
  method: "patch",
  path: "/admin/agents/{agentId}",
  summary: "Change an agent's model, temperature or max tokens",
  request: {
    params: agentParam,
    body: jsonBody(
      z
        .object({
          agentLabel: agentFields.agentLabel.optional(),
          modelId: agentFields.modelId.optional(),
          temperature: agentFields.temperature.optional(),
          maxTokens: agentFields.maxTokens.optional(),
        })
        .refine((v) => Object.values(v).some((x) => x !== undefined), "give at least one field"),
    ),
  },
  responses: { 200: jsonContent(AgentConfigSchema, "The changed config"), ...problemResponses(400, 404), ...authProblems },
});

const keyParam = z.object({
  key: settingKeySchema.max(100).openapi({ param: { name: "key", in: "path" }, example: "openrouter_api_key" }),
});

export const listSettings = createRoute({
  operationId: "blogListSettings",
  ...admin,
  method: "get",
  path: "/admin/settings",
  summary: "List the app settings (secret values masked)",
  responses: { 200: jsonContent(z.object({ items: z.array(SettingSchema) }), "Every setting"), ...authProblems },
});

export const getSetting = createRoute({
  operationId: "blogGetSetting",
  ...admin,
  method: "get",
  path: "/admin/settings/{key}",
  summary: "Read one app setting (a secret shows only whether it is set)",
  request: { params: keyParam },
  responses: { 200: jsonContent(SettingSchema, "The setting"), ...problemResponses(400, 404), ...authProblems },
});

export const putSetting = createRoute({
  operationId: "blogPutSetting",
  ...admin,
  method: "put",
  path: "/admin/settings/{key}",
  summary: "Write an app setting",
  description:
    "Creates or replaces the value; an empty value unsets it. `secret: true` declares the setting a secret: its value is then never shown by any read. " +
    "Without `secret`, a new setting is secret when its name ends in `key`, `secret`, `token` or `password` (e.g. `openrouter_api_key`), and an existing one keeps what it was.",
  request: {
    params: keyParam,
    body: jsonBody(
      z.object({
        value: z.string().max(4096),
        secret: z.boolean().optional().openapi({ description: "declare the setting secret (write-only) or not" }),
      }),
    ),
  },
  responses: { 200: jsonContent(SettingSchema, "The setting as stored"), ...problemResponses(400), ...authProblems },
});

export const listSessions = createRoute({
  operationId: "blogListSessions",
  ...admin,
  method: "get",
  path: "/admin/sessions",
  summary: "List blog sessions, newest first, by cursor",
  description: "Keyset pages on (createdAt, id) over the created_at index: pages neither skip nor repeat sessions while new ones arrive.",
  request: {
    query: cursorQuerySchema.extend({
      cursor: cursorQuerySchema.shape.cursor.openapi({ description: "`nextCursor` of the previous page" }),
      status: blogSessionStatusSchema.optional(),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          items: z.array(SessionSchema),
          nextCursor: z.string().nullable().openapi({ description: "pass as `cursor` for the next page; null on the last page" }),
        })
        .openapi("BlogSessionPage"),
      "A page of sessions",
    ),
    400: problemResponse("Invalid input, or a cursor this API did not issue"),
    ...authProblems,
  },
});

export const deleteSession = createRoute({
  operationId: "blogDeleteSession",
  ...admin,
  method: "delete",
  path: "/admin/sessions/{id}",
  summary: "Delete a blog session",
  description: "Whatever its status; a generation still running for it stops at its next pass.",
  request: { params: uuidParams("id") },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 404), ...authProblems },
});
