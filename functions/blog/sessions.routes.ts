/**
 * Blog sessions: a draft (store, brand voice, dresses, instructions) that `generate` turns into a post.
 * Seed 001 has no accounts: the session id (a random uuid) is what gives access, so sessions are listed only to
 * the admin (admin.routes.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { publicAndLlmLimit, publicLimit } from "./limits";
import { SessionSchema } from "./responses";
import { boundedJsonObject, INPUT_LIMITS } from "./validation";

const SessionInput = z
  .object({
    storeUrl: z
      .string()
      .min(1)
      .max(INPUT_LIMITS.storeUrl)
      .nullable()
      .optional()
      .openapi({ description: "normalised like POST /brand-voice" }),
    brandVoice: boundedJsonObject(INPUT_LIMITS.brandVoiceChars)
      .nullable()
      .optional()
      .openapi({ description: `the confirmed brand voice analysis (at most ${INPUT_LIMITS.brandVoiceChars} characters as JSON)` }),
    selectedDressIds: z
      .array(z.string().min(1).max(INPUT_LIMITS.dressId))
      .max(INPUT_LIMITS.selectedDresses)
      .nullable()
      .optional()
      .openapi({ description: "external ids of dresses in the cache (listed or opened through /dresses)" }),
    additionalInstructions: z.string().max(INPUT_LIMITS.additionalInstructions).nullable().optional(),
  })
  .openapi("BlogSessionInput");

const idParam = uuidParams("id");
const sessionResponse = (description: string) => jsonContent(SessionSchema, description);

export const createSession = createRoute({
  operationId: "blogCreateSession",
  method: "post",
  path: "/sessions",
  tags: ["blog"],
  security: [],
  summary: "Start a blog session (draft)",
  middleware: [publicLimit, idempotent()] as const,
  request: { body: { ...jsonBody(SessionInput), required: false } },
  responses: {
    201: { ...sessionResponse("The new draft"), headers: z.object({ Location: z.string() }) },
    ...problemResponses(400, 422, 429),
  },
});

export const getSession = createRoute({
  operationId: "blogGetSession",
  method: "get",
  path: "/sessions/{id}",
  tags: ["blog"],
  security: [],
  summary: "Get a blog session, with the generation's progress",
  middleware: [publicLimit] as const,
  request: { params: idParam },
  responses: { 200: sessionResponse("The session"), ...problemResponses(400, 404, 429) },
});

export const patchSession = createRoute({
  operationId: "blogPatchSession",
  method: "patch",
  path: "/sessions/{id}",
  tags: ["blog"],
  security: [],
  summary: "Change a draft",
  middleware: [publicLimit] as const,
  request: {
    params: idParam,
    body: jsonBody(SessionInput.refine((v) => Object.values(v).some((x) => x !== undefined), "give at least one field")),
  },
  responses: {
    200: sessionResponse("The changed draft"),
    ...problemResponses(400, 404, 429),
    409: problemResponse("The session is no longer a draft"),
    422: problemResponse("A selected dress is not in the dress cache (`errors` names it)"),
  },
});

export const generateSession = createRoute({
  operationId: "blogGenerateSession",
  method: "post",
  path: "/sessions/{id}/generate",
  tags: ["blog"],
  security: [],
  summary: "Generate the post",
  description:
    "Moves the draft to `generating` and runs blog-writer → blog-editor → seo-specialist → senior-editor → blog-reviewer in the background. " +
    "Poll GET /sessions/{id}: `agentLog` grows as each agent finishes; the session ends `completed` (with `generatedBlog` and `seoMetadata`) or `failed` (the reason is the last log entry).",
  middleware: [publicAndLlmLimit] as const,
  request: { params: idParam },
  responses: {
    202: { ...sessionResponse("Generation started"), headers: z.object({ Location: z.string() }) },
    ...problemResponses(400, 404, 429),
    409: problemResponse("The session is not a draft, or has no dress selected"),
    503: problemResponse("No API key or agent model is configured"),
  },
});

export const retrySession = createRoute({
  operationId: "blogRetrySession",
  method: "post",
  path: "/sessions/{id}/retry",
  tags: ["blog"],
  security: [],
  summary: "Retry a failed generation",
  description:
    "Moves a `failed` session back to `generating` (its log and output cleared) and queues the pipeline again, as POST /generate does. " +
    "Like every session route, the session id is the credential (seed 001 has no accounts).",
  middleware: [publicAndLlmLimit] as const,
  request: { params: idParam },
  responses: {
    202: { ...sessionResponse("Generation started again"), headers: z.object({ Location: z.string() }) },
    ...problemResponses(400, 404, 429),
    409: problemResponse("The session has not failed (only a failed session can be retried)"),
    503: problemResponse("No API key or agent model is configured"),
  },
});
