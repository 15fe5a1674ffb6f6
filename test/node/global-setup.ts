/**
 * Node-side test suites (stand-in conformance, schema checks) share one private
 * PostgreSQL and one private redis-server, started here on free ports.
 * Each test file makes its own database with createDatabase() for isolation.
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "../local/postgres.js";
import { startRedis } from "../local/redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    redisPort: number;
  }
}

export default async function setup(project: TestProject) {
  const pgServer = await startPostgres({ database: "postgres" });
  const redis = await startRedis();
  project.provide("pgAdminUrl", pgServer.url);
  project.provide("redisPort", redis.port);
  return async () => {
    await redis.stop();
    await pgServer.stop();
  };
}
