/**
 * The round-trip audit: every route of /openapi.json, in each cache/auth state that matters, against its
 * Postgres budget (≤ 1 per request after authentication, authentication itself 0 when cached or 1, and 0 on
 * a hot-cache hit) and its Redis budget (Upstash HTTP requests on the request path, REDIS_BUDGETS below; the
 * rate-limit commit a request sends after its response is not on that path and is counted apart). Counted at the
 * Neon and Upstash stand-ins, so the numbers are exact. A route may exceed a budget only with an `x-round-trips`
 * (Postgres) or `x-redis-round-trips` (Redis) entry, and its reason, in its route definition.
 * The table is printed between AUDIT markers; `npm run bench` shows it too.
 */
/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modules } from "../../src/modules";
import { api, countRoundTrips, type RoundTrips } from "./helpers";
import type { AuditCase } from "./round-trip-audit.types";

// Each module ships its cases next to its tests: test/worker/<module>/round-trip-cases.ts exporting `cases`.
const caseFiles = import.meta.glob<{ cases: AuditCase[] }>("./*/round-trip-cases.ts", { eager: true });
const moduleCases = modules.flatMap((m) => caseFiles[`./${m.name}/round-trip-cases.ts`]?.cases ?? []);

const platformCases: AuditCase[] = [{ route: "GET /health", status: 200, states: { warm: async () => () => api("/health") } }];

const allCases = [...platformCases, ...moduleCases];

interface Op {
  route: string;
  apiKeyAuth: boolean;
  exceptions: Record<string, number | string>;
  redisExceptions: Record<string, number | string>;
}
let ops: Map<string, Op>;
const rows: {
  route: string;
  state: string;
  trips: RoundTrips;
  budget: number;
  redisBudget: number;
  reason?: string;
}[] = [];

const isEdge = (state: string) => state.startsWith("edge");

function budgetOf(op: Op, state: string): { budget: number; reason?: string } {
  const override = op.exceptions[state];
  if (typeof override === "number") return { budget: override, reason: String(op.exceptions.reason ?? "") };
  if (state === "hot" || isEdge(state)) return { budget: 0 };
  if (state === "cold" && op.apiKeyAuth) return { budget: 2 };
  return { budget: 1 };
}

/**
 * Upstash HTTP requests per state. The request's first Redis round trip carries its rate limit, its cached
 * credential and its first cache read together (src/http/prefetch.ts), so:
 * - edge, edge-304: 0 — answered from the colo's Cache API;
 * - hot: 1 — that one round trip answers everything;
 * - cold states (credential or configuration not cached): 3 — the round trip, the principal's limit once the
 *   lookup named the caller, and the fill of the cache; 4 for a route that authenticates with an API key (as
 *   its Postgres budget, one more: what the handler itself writes to Redis);
 * - any other (warm reads, writes that also update or drop a cached entry, admin, signed callbacks): 2.
 */
const REDIS_BUDGETS: Record<string, number> = { edge: 0, "edge-304": 0, hot: 1, cold: 3, "config-cold": 3, "jwt-admin-cold": 3 };
const DEFAULT_REDIS_BUDGET = 2;

function redisBudgetOf(op: Op, state: string): { budget: number; reason?: string } {
  const override = op.redisExceptions[state];
  if (typeof override === "number") return { budget: override, reason: String(op.redisExceptions.reason ?? "") };
  if (state === "cold" && op.apiKeyAuth) return { budget: 4 };
  return { budget: REDIS_BUDGETS[state] ?? DEFAULT_REDIS_BUDGET };
}

/** A conditional request with the current ETag is answered 304; every other state answers the case's status. */
const statusOf = (c: AuditCase, state: string) => (state === "edge-304" ? 304 : c.status);

beforeAll(async () => {
  const doc = await (await api("/openapi.json")).json<any>();
  ops = new Map();
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const route = `${method.toUpperCase()} ${path}`;
      const apiKeyAuth = (op.security ?? []).some((s: Record<string, unknown>) => "apiKey" in s);
      ops.set(route, { route, apiKeyAuth, exceptions: op["x-round-trips"] ?? {}, redisExceptions: op["x-redis-round-trips"] ?? {} });
    }
  }
});

afterAll(() => {
  const lines = rows.map(
    (r) =>
      `| ${r.route} | ${r.state} | ${r.trips.postgres} | ${r.budget} | ${r.trips.redis} | ${r.redisBudget} | ${r.trips.postgres <= r.budget && r.trips.redis <= r.redisBudget ? "ok" : "OVER"} | ${r.reason ?? ""} |`,
  );
  console.log(
    [
      "AUDIT-BEGIN",
      "| route | state | Postgres | budget | Redis | Redis budget | | exception |",
      "|---|---|---:|---:|---:|---:|---|---|",
      ...lines,
      "AUDIT-END",
    ].join("\n"),
  );
});

describe("round-trip audit", () => {
  it("has a case for every route in /openapi.json, and no case for a route that does not exist", () => {
    expect(allCases.map((c) => c.route).sort()).toEqual([...ops.keys()].sort());
  });

  it("names a reason for every budget exception", () => {
    for (const op of ops.values()) {
      const states = Object.keys(op.exceptions).filter((k) => k !== "reason");
      if (states.length) expect(String(op.exceptions.reason ?? "").trim().length, `${op.route} needs a reason`).toBeGreaterThanOrEqual(20);
      const redisStates = Object.keys(op.redisExceptions).filter((k) => k !== "reason");
      if (redisStates.length)
        expect(
          String(op.redisExceptions.reason ?? "").trim().length,
          `${op.route} needs a reason for its Redis budget`,
        ).toBeGreaterThanOrEqual(20);
    }
  });

  for (const c of allCases) {
    for (const [state, prepare] of Object.entries(c.states)) {
      it(`${c.route} [${state}] stays within its Postgres and Redis budgets`, async () => {
        const op = ops.get(c.route);
        expect(op, `${c.route} is not in /openapi.json`).toBeDefined();
        const request = await prepare();
        const { result, trips } = await countRoundTrips(request);
        expect(result.status, `${c.route} [${state}]: ${await result.clone().text()}`).toBe(statusOf(c, state));
        await result.arrayBuffer();
        const { budget, reason } = budgetOf(op!, state);
        const redis = redisBudgetOf(op!, state);
        const reasons = [reason, redis.reason && `Redis: ${redis.reason}`].filter(Boolean).join("; ");
        rows.push({ route: c.route, state, trips, budget, redisBudget: redis.budget, reason: reasons || undefined });
        await c.settle?.();
        expect(trips.postgres, `${c.route} [${state}] Postgres`).toBeLessThanOrEqual(budget);
        expect(trips.redis, `${c.route} [${state}] Redis`).toBeLessThanOrEqual(redis.budget);
      });
    }
  }
});
