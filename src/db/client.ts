/**
 * One drizzle client per request over Neon's HTTP driver: no pool, no TCP, one HTTP
 * round trip per query or per db.batch(). db.transaction() does not exist on this driver.
 */
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { AppEnv } from "../core/env";
import { unavailable } from "../core/problem";

export type Db<TSchema extends Record<string, unknown> = Record<string, never>> = NeonHttpDatabase<TSchema>;

const driverDefaultEndpoint = neonConfig.fetchEndpoint;
let endpointFor: string | undefined;

function pointDriverAt(endpoint: string | undefined): void {
  // fetchEndpoint is global in the driver; the value only differs between local and deployed configs.
  if (endpoint === endpointFor) return;
  endpointFor = endpoint;
  neonConfig.fetchEndpoint = endpoint ? () => endpoint : driverDefaultEndpoint;
}

export function createSql(env: AppEnv) {
  if (!env.DATABASE_URL) throw unavailable("The database is not configured (DATABASE_URL).", 30);
  pointDriverAt(env.NEON_SQL_ENDPOINT);
  return neon(env.DATABASE_URL);
}

export function createDb<TSchema extends Record<string, unknown>>(env: AppEnv, schema: TSchema): Db<TSchema> {
  return drizzle({ client: createSql(env), schema });
}
