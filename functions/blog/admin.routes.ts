/** Admin (ADMIN_TOKEN): the agents' model configs and the app settings. Secret settings are write-only. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../../src/http/auth";
import { jsonBody, jsonContent, problemResponses } from "../../src/http/openapi";
import { AgentConfigSchema, SettingSchema } from "./responses";
import { agentIdSchema, settingKeySchema } from "./validation";

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

export const patchAgent = createRoute({
  operationId: "blogPatchAgent",
  ...admin,
  method: "patch",
  path: "/admin/agents/{agentId}",
  summary: "Change an agent's model, temperature or max tokens",
  request: {
    params: z.object({ agentId: agentIdSchema.openapi({ param: { name: "agentId", in: "path" }, example: "blog-writer" }) }),
    body: jsonBody(
      z
        .object({
          agentLabel: z.string().trim().min(1).max(200).optional(),
          modelId: z.string().trim().min(1).max(200).optional(),
          temperature: z.number().min(0).max(2).optional(),
          maxTokens: z.number().int().min(1).max(1_000_000).optional(),
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
    "Creates or replaces the value. For secrets such as `openrouter_api_key` the answer never echoes it. An empty value unsets it.",
  request: { params: keyParam, body: jsonBody(z.object({ value: z.string().max(4096) })) },
  responses: { 200: jsonContent(SettingSchema, "The setting as stored"), ...problemResponses(400), ...authProblems },
});
