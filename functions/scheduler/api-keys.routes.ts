import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponses } from "../../src/http/openapi";
import { ApiKeySchema, IssuedKeySchema } from "./responses";
import { asUser, asUserCreate } from "./route-kit";

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
  })
  .openapi("SchedulerCreateApiKey");

export const createApiKey = createRoute({
  ...asUserCreate("CreateApiKey"),
  method: "post",
  path: "/api-keys",
  summary: "Issue another API key for the caller",
  description: "The full key is in this response only.",
  request: { body: jsonBody(CreateApiKeyBody) },
  responses: { 201: jsonContent(IssuedKeySchema, "The key, shown once"), ...problemResponses(400, 401, 422) },
});

export const listApiKeys = createRoute({
  ...asUser("ListApiKeys"),
  method: "get",
  path: "/api-keys",
  summary: "The caller's API keys (prefix, name, created, last used), newest first",
  responses: {
    200: jsonContent(z.object({ items: z.array(ApiKeySchema) }).openapi("SchedulerApiKeyList"), "The keys"),
    ...problemResponses(401),
  },
});

export const revokeApiKey = createRoute({
  ...asUser("RevokeApiKey"),
  method: "delete",
  path: "/api-keys/{id}",
  "x-redis-round-trips": {
    warm: 3,
    cold: 4,
    reason: "after the DELETE the key's cached lookup is overwritten with a tombstone, so every isolate refuses it at once",
  },
  summary: "Revoke one of the caller's API keys",
  description: "Deleted, and its cached lookup replaced by a tombstone, so it fails at once on every isolate.",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 204: { description: "Revoked" }, ...problemResponses(400, 401, 404) },
});
