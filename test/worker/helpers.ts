/** Shared helpers for the workerd suites: call the Worker, and the test control plane. */
import { Redis } from "@upstash/redis/cloudflare";
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import createClient from "openapi-fetch";
import type { AppEnv } from "../../src/env";
import type { paths } from "../client/api";

export const testEnv = env as unknown as AppEnv & { CONTROL_URL: string };

export function api(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(new Request(`http://api.test${path}`, init));
}

/** The typed client a consumer would use (openapi-fetch over the types of /openapi.json), calling the Worker. */
export const client = createClient<paths>({ baseUrl: "http://api.test", fetch: (req) => SELF.fetch(req) });

/** Bearer auth for the typed client. */
export const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

/** A short unique name, so suites sharing one database and one Redis never meet. */
export const uniq = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A Redis client straight to the Upstash stand-in (not through the Worker), one request per command. */
export const redis = () =>
  new Redis({ url: testEnv.UPSTASH_REDIS_REST_URL!, token: testEnv.UPSTASH_REDIS_REST_TOKEN!, enableAutoPipelining: false });

export async function control<T = any>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(
    `${testEnv.CONTROL_URL}${path}`,
    body === undefined && !path.startsWith("/stats/") && !path.startsWith("/redis/") && !path.startsWith("/postgres/")
      ? undefined
      : { method: "POST", body: JSON.stringify(body ?? {}) },
  );
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** Runs SQL directly on Postgres (not through the Worker) and returns the rows. */
export async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return (await control<{ rows: T[] }>("/sql", { query, params })).rows;
}

export interface RoundTrips {
  postgres: number;
  /** Upstash requests on the request path (the rate-limit commits sent after the response are not among them) */
  redis: number;
}

/** Counts the HTTP requests the stand-ins receive while `fn` runs. */
export async function countRoundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; trips: RoundTrips }> {
  await control("/stats/reset");
  const result = await fn();
  const { postgres, redis } = await control<RoundTrips>("/stats");
  return { result, trips: { postgres, redis } };
}

/** Runs one Redis command directly on the real redis-server (not through the Worker). */
export async function redisCommand<T = unknown>(...args: (string | number)[]): Promise<T> {
  const out = await control<{ result?: T; error?: string }>("/redis/command", { args });
  if (out.error) throw new Error(out.error);
  return out.result as T;
}
