/**
 * Rate limits of the public blog routes (seed 001 has no accounts, so per client IP — an IPv6 client by its /64,
 * src/http/rate-limit.ts); limits come from vars. With Redis down they hold per isolate only: the model spend is
 * capped regardless by the global daily budget (src/db/spend-budget.ts).
 */
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../../src/env";
import { rateLimit } from "../../src/http/rate-limit";
import { blogConfig } from "./config";

const publicWindow = (env: AppContext["Bindings"]) => ({ name: "blog:public", limit: blogConfig(env).rateLimit, window: "1 m" as const });

/** Reads, sessions: BLOG_RATE_LIMIT per minute. */
export const publicLimit: MiddlewareHandler<AppContext> = (c, next) => rateLimit(publicWindow(c.env))(c, next);

/**
 * Routes that spend LLM tokens (brand voice, generate): BLOG_LLM_RATE_LIMIT per minute on top of the public
 * limit; both windows in one Redis round trip.
 */
export const publicAndLlmLimit: MiddlewareHandler<AppContext> = (c, next) =>
  rateLimit(publicWindow(c.env), { name: "blog:llm", limit: blogConfig(c.env).llmRateLimit, window: "1 m" })(c, next);
