import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponses, uuidParams } from "../../src/http/openapi";
import { ContextEntrySchema } from "./responses";
import { asUser } from "./route-kit";

const keyParams = z.object({
  jobId: z.uuid().openapi({ param: { name: "jobId", in: "path" } }),
  key: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .openapi({ param: { name: "key", in: "path" }, example: "audience" }),
});

export const PutContextBody = z.object({ value: z.string().max(20_000) }).openapi("SchedulerPutContext");

export const listContext = createRoute({
  ...asUser("ListContext"),
  method: "get",
  path: "/jobs/{jobId}/context",
  summary: "A job's context entries, by key",
  request: { params: uuidParams("jobId") },
  responses: {
    200: jsonContent(z.object({ items: z.array(ContextEntrySchema) }).openapi("SchedulerContextList"), "The entries"),
    ...problemResponses(400, 401, 404),
  },
});

export const putContext = createRoute({
  ...asUser("PutContext"),
  method: "put",
  path: "/jobs/{jobId}/context/{key}",
  summary: "Set a context entry (upsert by key)",
  request: { params: keyParams, body: jsonBody(PutContextBody) },
  responses: {
    200: jsonContent(ContextEntrySchema, "Replaced"),
    201: jsonContent(ContextEntrySchema, "Created"),
    ...problemResponses(400, 401, 404),
  },
});

export const deleteContext = createRoute({
  ...asUser("DeleteContext"),
  method: "delete",
  path: "/jobs/{jobId}/context/{key}",
  summary: "Remove a context entry",
  request: { params: keyParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});
