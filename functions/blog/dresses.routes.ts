/**
 * GET /dresses and GET /dresses/{externalId}: the dress catalogue of the external dress API, read through
 * Redis (5 min) → Postgres `cached_dresses` (24 h) → the API. `X-Cache` names the layer that answered.
 *
 * The external dress API this module expects at DRESS_API_URL (dress-api.ts is its client):
 *
 *   GET {DRESS_API_URL}/dresses?category=<c>&page=<n>&pageSize=<m>   (category optional: all dresses)
 *     200 → { "items": Dress[], "hasNext": boolean }        items ordered by id
 *   GET {DRESS_API_URL}/dresses/<id>
 *     200 → Dress          404 → no such dress
 *
 *   Dress = the upstream shape, `upstreamDressSchema` in dress-api.ts (what this API answers: DressSchema in responses.ts)
 *
 * A listing (a category, or all) is mirrored whole — every API page of it, stored by one statement — so a
 * page can be answered from Postgres only when Postgres holds the complete listing (dresses.store.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { pageSchema, pageSizeSchema } from "../../src/http/pagination";
import { edgeCached, notModifiedResponse } from "../../src/cache/edge-cache";
import { firstRead } from "../../src/http/prefetch";
import { dressKey, listKey } from "./dresses.cache";
import { publicLimit } from "./limits";
import { DressPageSchema, DressSchema } from "./responses";

const xCache = z.object({
  "X-Cache": z.enum(["redis", "postgres", "origin", "stale"]).openapi({
    description:
      "the layer that answered: `redis` (hot cache), `postgres` (durable cache), `origin` (the dress API), `stale` (an expired copy, because the dress API failed)",
  }),
});

/**
 * A category name: a letter (Latin, accents included) or digit first, then those, spaces and ordinary
 * punctuation; never a wildcard such as `*` or `%`. No `u` flag, so the OpenAPI pattern reads the same everywhere.
 */
const categoryPattern = /^[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F '&./+()_-]*$/;

const coldRedis =
  "cold: the first round trip (limit + hot read) misses; the dress API call is single-flighted across isolates (lock SET NX, a re-read of the hot key under the lock, the release), and the answer is written to the hot cache";

const upstreamDown = problemResponse("The dress API is down or too slow and nothing is cached; retry after `Retry-After`");
const upstreamBad = problemResponse("The dress API answered something unusable and nothing is cached");

/** The same answer for every caller: kept in the colo's Cache API for a minute (the Redis copy lives 5 min anyway). */
const edge = edgeCached({ name: "blog:dresses", ttlSeconds: 60 });

const listQuery = z.object({
  category: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(categoryPattern, "letters, digits, spaces and - _ . ' & / + ( ) only; no wildcards")
    .optional()
    .openapi({ example: "A-line" }),
  page: pageSchema,
  pageSize: pageSizeSchema,
});

/** The listing's Redis key travels with the rate limit (one Redis round trip); a bad query skips it. */
const listingRead = firstRead((c) => {
  const q = listQuery.safeParse(c.req.query());
  return q.success ? listKey(q.data.category ?? null, q.data.page, q.data.pageSize) : null;
});
const dressRead = firstRead((c) => {
  const id = c.req.param("externalId");
  return id ? dressKey(id) : null;
});

export const listDresses = createRoute({
  operationId: "blogListDresses",
  method: "get",
  path: "/dresses",
  // Round-trip budget exception (checked by test/worker/round-trip-audit.test.ts): on a cold listing the
  // Postgres read misses, and storing what the dress API answered is a second statement after that call.
  "x-round-trips": { cold: 2, reason: "cold: one read that misses, one upsert of the origin's answer after the dress API call" },
  "x-redis-round-trips": { cold: 5, reason: coldRedis },
  tags: ["blog"],
  security: [],
  summary: "List dresses",
  description:
    "Pages through the dress catalogue, optionally one category, ordered by external id. The first request for a listing mirrors it from the dress API into Postgres.",
  middleware: [edge, listingRead, publicLimit] as const,
  request: { query: listQuery },
  responses: {
    200: {
      ...jsonContent(DressPageSchema, "A page of dresses"),
      headers: xCache,
    },
    304: notModifiedResponse,
    ...problemResponses(400, 429),
    502: upstreamBad,
    503: upstreamDown,
  },
});

export const getDress = createRoute({
  operationId: "blogGetDress",
  method: "get",
  path: "/dresses/{externalId}",
  "x-round-trips": { cold: 2, reason: "cold: one read that misses, one upsert of the origin's answer after the dress API call" },
  "x-redis-round-trips": { cold: 5, reason: coldRedis },
  tags: ["blog"],
  security: [],
  summary: "Get a dress",
  middleware: [edge, dressRead, publicLimit] as const,
  request: {
    params: z.object({
      externalId: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "externalId", in: "path" }, example: "d-1042" }),
    }),
  },
  responses: {
    200: { ...jsonContent(DressSchema, "The dress"), headers: xCache },
    304: notModifiedResponse,
    ...problemResponses(400, 404, 429),
    502: upstreamBad,
    503: upstreamDown,
  },
});
