import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponses, uuidParams } from "../../src/http/openapi";
import { EndpointSchema } from "./responses";
import { asUser, asUserCreate } from "./route-kit";
import { httpMethodSchema } from "./validation";

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "not a header name");
const headers = z.record(headerName, z.string().max(4000)).refine((h) => Object.keys(h).length <= 30, "at most 30 headers");

const fields = {
  name: z.string().trim().min(1).max(200),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .openapi({ description: "Must be a public http(s) address (the outbound-URL guard)", example: "https://api.example.com/report" }),
  method: httpMethodSchema,
  headers: headers.openapi({ description: "Headers sent as they are (shown back)" }),
  body: z.string().max(100_000).nullable(),
  timeoutMs: z.number().int().min(100).max(60_000),
  fireAndForget: z.boolean().openapi({ description: "A failure of this endpoint does not fail the run" }),
  bearerToken: z
    .string()
    .min(1)
    .max(4000)
    .nullable()
    .openapi({ description: "Write-only: sent as `Authorization: Bearer …`, stored encrypted, never returned; null clears it" }),
  secretHeaders: headers.nullable().openapi({
    description: "Write-only headers (e.g. an API key header): stored encrypted, only their names are returned; null clears them",
  }),
};

export const CreateEndpointBody = z
  .object({
    name: fields.name,
    url: fields.url,
    method: fields.method.default("GET"),
    headers: fields.headers.default({}),
    body: fields.body.optional(),
    timeoutMs: fields.timeoutMs.default(5000),
    fireAndForget: fields.fireAndForget.default(false),
    bearerToken: fields.bearerToken.optional(),
    secretHeaders: fields.secretHeaders.optional(),
  })
  .openapi("SchedulerCreateEndpoint");

export const PatchEndpointBody = z
  .object({
    name: fields.name.optional(),
    url: fields.url.optional(),
    method: fields.method.optional(),
    headers: fields.headers.optional(),
    body: fields.body.optional(),
    timeoutMs: fields.timeoutMs.optional(),
    fireAndForget: fields.fireAndForget.optional(),
    bearerToken: fields.bearerToken.optional(),
    secretHeaders: fields.secretHeaders.optional(),
  })
  .openapi("SchedulerPatchEndpoint");

const one = uuidParams("jobId", "endpointId");

export const createEndpoint = createRoute({
  ...asUserCreate("CreateEndpoint"),
  method: "post",
  path: "/jobs/{jobId}/endpoints",
  summary: "Add an HTTP target the job calls on each run",
  request: { params: uuidParams("jobId"), body: jsonBody(CreateEndpointBody) },
  responses: { 201: jsonContent(EndpointSchema, "Created; `Location` names it"), ...problemResponses(400, 401, 404, 503) },
});

export const listEndpoints = createRoute({
  ...asUser("ListEndpoints"),
  method: "get",
  path: "/jobs/{jobId}/endpoints",
  summary: "A job's endpoints, oldest first",
  request: { params: uuidParams("jobId") },
  responses: {
    200: jsonContent(z.object({ items: z.array(EndpointSchema) }).openapi("SchedulerEndpointList"), "The endpoints"),
    ...problemResponses(400, 401, 404),
  },
});

export const getEndpoint = createRoute({
  ...asUser("GetEndpoint"),
  method: "get",
  path: "/jobs/{jobId}/endpoints/{endpointId}",
  summary: "One endpoint of a job (secrets are never returned)",
  request: { params: one },
  responses: { 200: jsonContent(EndpointSchema, "The endpoint"), ...problemResponses(400, 401, 404) },
});

export const patchEndpoint = createRoute({
  ...asUser("PatchEndpoint"),
  method: "patch",
  path: "/jobs/{jobId}/endpoints/{endpointId}",
  summary: "Change an endpoint; secrets given replace the stored ones",
  request: { params: one, body: jsonBody(PatchEndpointBody) },
  responses: { 200: jsonContent(EndpointSchema, "The endpoint"), ...problemResponses(400, 401, 404, 503) },
});

export const deleteEndpoint = createRoute({
  ...asUser("DeleteEndpoint"),
  method: "delete",
  path: "/jobs/{jobId}/endpoints/{endpointId}",
  summary: "Remove an endpoint (its past tasks keep their record)",
  request: { params: one },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});
