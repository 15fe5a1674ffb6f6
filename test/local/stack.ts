/**
 * The whole local stack the Worker talks to, the way production does, over HTTP:
 * a real PostgreSQL behind the Neon SQL-over-HTTP stand-in and a real redis-server
 * behind the Upstash REST stand-in. Used by `npm run dev`, the workerd tests and the benchmarks.
 */
import { randomBytes } from "node:crypto";
import { createDatabase } from "./databases.js";
import { migrateDatabase } from "./migrate.js";
import { type NeonHttpHandle, startNeonHttp } from "./neon-http.js";
import { type PostgresHandle, startPostgres } from "./postgres.js";
import { type RedisHandle, redisServerPath, startRedis } from "./redis.js";
import { startUpstashRest, type UpstashRestHandle } from "./upstash-rest.js";

export interface StackOptions {
  /** Persist Postgres data here (dev). Default: a throwaway cluster. */
  dataDir?: string;
  /** Database name; with `fresh` it is dropped and recreated first. */
  database?: string;
  fresh?: boolean;
  /** Apply drizzle/ migrations (default true). */
  migrate?: boolean;
  /** Start Redis and the Upstash stand-in when redis-server exists (default true). */
  redis?: boolean;
  neonPort?: number;
  upstashPort?: number;
  log?: (line: string) => void;
}

export interface Stack {
  pg: PostgresHandle;
  /** direct (TCP) URL of the stack's database, for arranging and checking data in tests */
  directUrl: string;
  neon: NeonHttpHandle;
  redis: RedisHandle | null;
  upstash: UpstashRestHandle | null;
  /** the Worker's bindings for this stack (DATABASE_URL, NEON_SQL_ENDPOINT, UPSTASH_…) */
  bindings: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const database = opts.database ?? "main";
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => {});
  };
  try {
    const t0 = Date.now();
    const pg = await startPostgres({ dataDir: opts.dataDir, database: "postgres" });
    stoppers.push(() => pg.stop());
    log(`postgres ${pg.embedded ? "(embedded)" : "(DATABASE_URL_DIRECT)"} on ${pg.host}:${pg.port} in ${Date.now() - t0} ms`);
    const directUrl = await createDatabase(pg.url, database, { recreate: opts.fresh });
    if (opts.migrate !== false) {
      const t1 = Date.now();
      await migrateDatabase(directUrl, log);
      log(`migrations applied in ${Date.now() - t1} ms`);
    }
    const neon = await startNeonHttp({ backendUrl: directUrl, port: opts.neonPort, log });
    stoppers.push(() => neon.close());
    log(`neon sql-over-http stand-in on ${neon.url}`);

    let redis: RedisHandle | null = null;
    let upstash: UpstashRestHandle | null = null;
    if (opts.redis !== false && redisServerPath()) {
      redis = await startRedis();
      const r = redis;
      stoppers.push(() => r.stop());
      upstash = await startUpstashRest({ redisPort: redis.port, token: randomBytes(16).toString("hex"), port: opts.upstashPort, log });
      const u = upstash;
      stoppers.push(() => u.close());
      log(`redis on 127.0.0.1:${redis.port}, upstash rest stand-in on ${upstash.url}`);
    } else {
      log(opts.redis === false ? "redis: off (not requested)" : "redis: redis-server not installed, the hot cache is off");
    }

    const bindings: Record<string, string> = {
      DATABASE_URL: neon.connectionString,
      NEON_SQL_ENDPOINT: neon.url,
      ...(upstash ? { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token } : {}),
    };
    return { pg, directUrl, neon, redis, upstash, bindings, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
