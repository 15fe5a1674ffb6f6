/** GET /health: is each dependency reachable, and how long did one round trip take. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createCache } from "./cache/client";
import { createSql } from "./db/client";
import type { AppContext } from "./http/context";
import { errorFields } from "./core/logger";
import { problemResponses } from "./http/openapi";
import { readHeartbeats } from "./cron/heartbeat";
import { CRONS } from "./cron/schedule";

const Check = z.object({
  status: z.enum(["up", "down", "disabled"]),
  latencyMs: z.number().optional().openapi({ description: "one round trip, measured in the Worker" }),
  error: z.string().optional(),
});

const Health = z
  .object({
    status: z.enum(["pass", "fail"]),
    checks: z.object({ postgres: Check, redis: Check }),
    cron: z
      .record(z.string(), z.object({ ranAt: z.string(), scheduledTime: z.string() }).nullable())
      .openapi({ description: "last run of each Cron Trigger (from the cache)" }),
    time: z.string(),
  })
  .openapi("Health");

const route = createRoute({
  operationId: "platformGetHealth",
  method: "get",
  path: "/health",
  tags: ["platform"],
  security: [],
  summary: "Liveness and dependency check",
  description:
    "Runs `SELECT 1` on Postgres and `PING` on Redis. 503 when a configured dependency is down; Redis not configured counts as `disabled`, not down.",
  responses: {
    200: { description: "Every configured dependency answered", content: { "application/json": { schema: Health } } },
    503: { description: "A dependency is down (named in `checks`)", content: { "application/json": { schema: Health } } },
    ...problemResponses(413),
  },
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);
}

export function mountHealth(app: OpenAPIHono<AppContext>) {
  app.openapi(route, async (c) => {
    const logger = c.get("logger");
    const cache = createCache(c.env, logger);
    const postgres = (async (): Promise<z.infer<typeof Check>> => {
      try {
        const sql = createSql(c.env);
        const t0 = performance.now();
        await withTimeout(sql.query("SELECT 1"), 3000, "postgres");
        return { status: "up", latencyMs: round(performance.now() - t0) };
      } catch (err) {
        logger.warn("health: postgres down", errorFields(err));
        return { status: "down", error: "postgres did not answer" };
      }
    })();
    const redis = (async (): Promise<z.infer<typeof Check>> => {
      if (!cache.enabled) return { status: "disabled" };
      try {
        return { status: "up", latencyMs: round(await cache.ping()) };
      } catch (err) {
        logger.warn("health: redis down", errorFields(err));
        return { status: "down", error: "redis did not answer" };
      }
    })();
    const [pg, rd] = await Promise.all([postgres, redis]);
    const cron = rd.status === "up" ? await readHeartbeats(cache, [...CRONS]) : {};
    const ok = pg.status === "up" && rd.status !== "down";
    const body = {
      status: ok ? ("pass" as const) : ("fail" as const),
      checks: { postgres: pg, redis: rd },
      cron,
      time: new Date().toISOString(),
    };
    c.header("Cache-Control", "no-store");
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
