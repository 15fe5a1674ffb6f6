import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { MAX_OUTPUT_BYTES } from "./output-storage";
import { OutputSchema } from "./shapes";
import { outputFormatSchema } from "./validation";

const tags = ["marketing"];

export const CreateOutputBody = z
  .object({
    format: outputFormatSchema.default("markdown"),
    title: z.string().trim().min(1).max(255).optional(),
    content: z
      .string()
      .min(1)
      .openapi({ description: `The text: at most ${MAX_OUTPUT_BYTES} bytes of UTF-8 (512 KiB); JSON must parse when format is \`json\`` }),
  })
  .openapi("MarketingCreateOutput");

export const createOutput = createRoute({
  operationId: "marketingCreateOutput",
  method: "post",
  path: "/runs/{id}/outputs",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  // Round-trip budget exception: the row is inserted `pending` before the object is written and marked
  // `stored` after it (two statements around the R2 put, so row and object never disagree); and the R2 key
  // needs the run's skill and client: POST /runs caches them for 15 minutes, past that they cost one read more.
  "x-redis-round-trips": {
    "run-info-uncached": 3,
    reason: "the run's key parts are read from Redis (a miss), then read from Postgres and written back for the next output",
  },
  "x-round-trips": {
    warm: 2,
    cold: 3,
    "run-info-uncached": 3,
    reason:
      "pending insert before the R2 put and the `stored` update after it keep row and object consistent; +1 read of the key's parts when the 15-minute cache from POST /runs has expired",
  },
  summary: "Attach an output to one of the caller's runs",
  description:
    "The content goes to R2 under `outputs/<skill>/<client-slug|none>-<format>-<YYYY-MM-DD>-<output id>.<md|json|html>`; the row keeps its key, a 500-character preview and its size. The row is inserted `pending`, the object written, then the row marked `stored`; a failure in between leaves a pending row that a sweep removes (with its object) after an hour. Retry with the same `Idempotency-Key`.",
  request: { params: uuidParams("id"), body: jsonBody(CreateOutputBody) },
  responses: {
    201: jsonContent(OutputSchema, "Stored; `Location` names the output"),
    ...problemResponses(400, 401, 404),
    413: problemResponse(`The content is over ${MAX_OUTPUT_BYTES} bytes (or the body over the app's limit)`),
  },
});

export const getOutput = createRoute({
  operationId: "marketingGetOutput",
  method: "get",
  path: "/outputs/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "An output's metadata",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(OutputSchema, "The output"), ...problemResponses(400, 401, 404) },
});

const text = z.string();
export const getOutputContent = createRoute({
  operationId: "marketingGetOutputContent",
  method: "get",
  path: "/outputs/{id}/content",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "An output's content, streamed from R2",
  description: "`Content-Type` follows the output's format.",
  request: { params: uuidParams("id") },
  responses: {
    200: {
      description: "The content",
      content: { "text/markdown": { schema: text }, "application/json": { schema: text }, "text/html": { schema: text } },
    },
    ...problemResponses(400, 401),
    404: problemResponse("No such output for the caller, or its content is missing from storage"),
  },
});

export const getOutputByKey = createRoute({
  operationId: "marketingGetOutputByKey",
  method: "get",
  path: "/outputs/by-key",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "An output's metadata, by its R2 key",
  description: "The seed's `outputs_s3_key_idx`.",
  request: { query: z.object({ key: z.string().min(1).max(500) }) },
  responses: { 200: jsonContent(OutputSchema, "The output"), ...problemResponses(400, 401, 404) },
});

export const deleteOutput = createRoute({
  operationId: "marketingDeleteOutput",
  method: "delete",
  path: "/outputs/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete an output: its row, its feedback, then its object",
  description:
    "One batch removes the feedback and the row; the R2 object goes after. If that delete fails, the object is left behind (logged) and the orphan sweep removes it after an hour.",
  request: { params: uuidParams("id") },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});
