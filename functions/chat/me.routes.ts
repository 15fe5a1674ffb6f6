import { createRoute } from "@hono/zod-openapi";
import { jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { firstRead } from "../../src/http/prefetch";
import { userAuth, userSecurity } from "./auth";
import { meCacheKey } from "./plan";
import { MeSchema } from "./responses";

export const getMe = createRoute({
  method: "get",
  path: "/me",
  operationId: "chatGetMe",
  tags: ["chat"],
  security: userSecurity,
  // the cached answer travels with the rate limit: a hot /me is one Redis round trip
  middleware: [firstRead((c) => (c.var.principal ? meCacheKey(c.var.principal.subject) : null)), userAuth] as const,
  summary: "The caller, with their plan and agent limit",
  description:
    "The first call with a new token creates the user from its claims (email, user_metadata.name/avatar_url). Served from Redis for CHAT_CACHE_TTL_SECONDS; a subscription change clears it.",
  responses: {
    200: jsonContent(MeSchema, "The caller"),
    ...problemResponses(401),
    409: problemResponse("The token's email belongs to another user"),
  },
});
