/** POST /brand-voice: the brand voice of a store, analysed by the brand-voice-analyzer agent and cached per normalised URL. */
import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { publicAndLlmLimit } from "./limits";
import { BrandVoiceAnalysisSchema } from "./responses";
import { INPUT_LIMITS } from "./validation";

export const analyseBrandVoice = createRoute({
  operationId: "blogAnalyseBrandVoice",
  method: "post",
  path: "/brand-voice",
  // Round-trip budget exception: the analysis is stored after the model call, which cannot share the read's trip.
  "x-redis-round-trips": {
    hot: 2,
    warm: 3,
    cold: 8,
    reason:
      "the cache key is derived from the JSON body, so the hot read cannot travel with the two rate limits (public + LLM, one round trip); cold adds the cross-isolate lock around the model call, its release, the hot copy, and the daily model budget (the call counted before it is made, its tokens after)",
  },
  "x-round-trips": {
    cold: 2,
    reason: "cold: one read (cache row + the analyzer's setup), one insert of the analysis after the model call",
  },
  tags: ["blog"],
  security: [],
  summary: "Analyse a store's brand voice",
  description:
    "The URL is normalised (https, host case, default port, trailing slash, query and fragment dropped), so one store is one cache entry. " +
    "Cached in Redis (5 min) and Postgres (7 days); on a miss the store's home page (and, when linked, an about page and a few product pages) is read " +
    "through the outbound-URL guard, with a deadline and size caps, and the brand-voice-analyzer agent analyses its text. `X-Cache` names the layer that answered. " +
    "A store whose home page cannot be read answers 503 (unreachable, 5xx, too slow) or 502 (4xx, not HTML, no text); an expired analysis is served stale meanwhile.",
  middleware: [publicAndLlmLimit] as const,
  request: {
    body: jsonBody(z.object({ url: z.string().min(1).max(INPUT_LIMITS.storeUrl).openapi({ example: "https://bridal.example" }) })),
  },
  responses: {
    200: {
      ...jsonContent(BrandVoiceAnalysisSchema, "The analysis"),
      headers: z.object({ "X-Cache": z.enum(["redis", "postgres", "origin", "stale"]) }),
    },
    ...problemResponses(400),
    429: problemResponse(
      "Too many requests from this client, or today's model budget is used up (LLM_DAILY_CALL_BUDGET / LLM_DAILY_TOKEN_BUDGET); retry after `Retry-After`",
    ),
    502: problemResponse(
      "The store's home page is not a readable HTML page, or the language model answered something that is not a brand voice analysis",
    ),
    503: problemResponse(
      "No API key or model is configured, or the store or the language model API is unavailable or too slow; retry after `Retry-After`",
    ),
  },
});
