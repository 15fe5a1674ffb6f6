/** Parsing of vars (all strings in the Worker's env) into settings, with a default when unset or invalid. Deadlines: every dependency call has one,
 * and a request has an overall budget; on expiry the caller gets 503 problem+json with Retry-After. */
import type { AppEnv } from "./env";

/** A positive integer var, or `fallback` when it is missing, not a number or not positive. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export const DEADLINE_DEFAULTS = {
  /** one Postgres HTTP round trip (a query or a db.batch) */
  DB_TIMEOUT_MS: 5_000,
  /** one R2 get/put/delete */
  R2_TIMEOUT_MS: 5_000,
  /** one Queue send */
  QUEUE_TIMEOUT_MS: 3_000,
  /** one third-party HTTP call, where the module sets no own timeout */
  UPSTREAM_TIMEOUT_MS: 10_000,
  /** a whole HTTP request, from the first middleware to the answer */
  REQUEST_BUDGET_MS: 25_000,
} as const;

export type DeadlineName = keyof typeof DEADLINE_DEFAULTS;

export interface Deadlines {
  dbMs: number;
  r2Ms: number;
  queueMs: number;
  upstreamMs: number;
  requestMs: number;
}

type DeadlineVars = Partial<Record<DeadlineName, string>>;

export function deadlines(env: AppEnv): Deadlines {
  const v = env as AppEnv & DeadlineVars;
  return {
    dbMs: intVar(v.DB_TIMEOUT_MS, DEADLINE_DEFAULTS.DB_TIMEOUT_MS),
    r2Ms: intVar(v.R2_TIMEOUT_MS, DEADLINE_DEFAULTS.R2_TIMEOUT_MS),
    queueMs: intVar(v.QUEUE_TIMEOUT_MS, DEADLINE_DEFAULTS.QUEUE_TIMEOUT_MS),
    upstreamMs: intVar(v.UPSTREAM_TIMEOUT_MS, DEADLINE_DEFAULTS.UPSTREAM_TIMEOUT_MS),
    requestMs: intVar(v.REQUEST_BUDGET_MS, DEADLINE_DEFAULTS.REQUEST_BUDGET_MS),
  };
}

/** Comma-separated host names (or IP literals) that assertPublicUrl lets through, e.g. "127.0.0.1" in tests. */
export function outboundAllowList(env: AppEnv): string[] {
  const raw = (env as AppEnv & { OUTBOUND_ALLOW_HOSTS?: string }).OUTBOUND_ALLOW_HOSTS ?? "";
  return raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
