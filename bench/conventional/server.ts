/**
 * The conventional alternative, for comparison only: a long-running Node server (Hono on
 * @hono/node-server) holding a `pg` connection pool over TCP to the same database and a
 * TCP connection pool to the same Redis. It implements just the benchmarked routes.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pg from "pg";
import { freePort } from "../../test/local/ports.js";
import { RespPool } from "../../test/local/resp.js";
import { mountConventionalRoutes } from "./routes.js";

export interface ConventionalHandle {
  url: string;
  stop(): Promise<void>;
}

export async function startConventional(opts: { databaseUrl: string; redisPort?: number }): Promise<ConventionalHandle> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
  pool.on("error", () => {});
  const redis = opts.redisPort ? new RespPool({ port: opts.redisPort, max: 10 }) : null;
  const app = new Hono();
  app.get("/health", async (c) => {
    await pool.query("SELECT 1");
    if (redis) await redis.send(["PING"]);
    return c.json({ status: "pass" });
  });
  mountConventionalRoutes(app, { pool, redis });
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis?.close();
      await pool.end();
    },
  };
}
