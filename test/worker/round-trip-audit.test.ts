/**
 * The round-trip audit: every route of /openapi.json, in each cache/auth state that matters, against its
 * Postgres budget (≤ 1 per request after authentication, authentication itself 0 when cached or 1, and 0 on
 * a hot-cache hit). Counted at the Neon and Upstash stand-ins, so the numbers are exact. A route may
 * exceed its budget only with an `x-round-trips` entry (and its reason) in its route definition.
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
}
let ops: Map<string, Op>;
const rows: { route: string; state: string; trips: RoundTrips; budget: number; reason?: string }[] = [];

function budgetOf(op: Op, state: string): { budget: number; reason?: string } {
  const override = op.exceptions[state];
  if (typeof override === "number") return { budget: override, reason: String(op.exceptions.reason ?? "") };
  if (state === "hot") return { budget: 0 };
  if (state === "cold" && op.apiKeyAuth) return { budget: 2 };
  return { budget: 1 };
}

beforeAll(async () => {
  const doc = await (await api("/openapi.json")).json<any>();
  ops = new Map();
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const route = `${method.toUpperCase()} ${path}`;
      const apiKeyAuth = (op.security ?? []).some((s: Record<string, unknown>) => "apiKey" in s);
      ops.set(route, { route, apiKeyAuth, exceptions: op["x-round-trips"] ?? {} });
    }
  }
});

afterAll(() => {
  const lines = rows.map(
    (r) =>
      `| ${r.route} | ${r.state} | ${r.trips.postgres} | ${r.budget} | ${r.trips.redis} | ${r.trips.postgres <= r.budget ? "ok" : "OVER"} | ${r.reason ?? ""} |`,
  );
  console.log(
    [
      "AUDIT-BEGIN",
      "| route | state | Postgres | budget | Redis | | exception |",
      "|---|---|---:|---:|---:|---|---|",
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
    }
  });

  for (const c of allCases) {
    for (const [state, prepare] of Object.entries(c.states)) {
      it(`${c.route} [${state}] stays within its Postgres budget`, async () => {
        const op = ops.get(c.route);
        expect(op, `${c.route} is not in /openapi.json`).toBeDefined();
        const request = await prepare();
        const { result, trips } = await countRoundTrips(request);
        expect(result.status, `${c.route} [${state}]: ${await result.clone().text()}`).toBe(c.status);
        await result.arrayBuffer();
        const { budget, reason } = budgetOf(op!, state);
        rows.push({ route: c.route, state, trips, budget, reason });
        await c.settle?.();
        expect(trips.postgres, `${c.route} [${state}]`).toBeLessThanOrEqual(budget);
      });
    }
  }
});
