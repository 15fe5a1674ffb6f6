/**
 * Round trips per route, counted at the Neon and Upstash stand-ins. Budget: authentication costs at most one
 * Postgres query (none when the key's lookup is cached in Redis), each route at most one more.
 */
import { afterAll, describe, expect, it } from "vitest";
import { api, countRoundTrips, type RoundTrips } from "../helpers";
import { type Case, cases, ensureSkill, skill } from "./roundtrip-requests";
import { call, createRun, createUser, forgetKey, json } from "./helpers";
import { redis } from "../helpers";

const measured: Record<string, { warm: RoundTrips; cold?: RoundTrips }> = {};

async function measure(c: Case, authCached: boolean): Promise<RoundTrips> {
  const u = await createUser();
  const request = await c.prepare(u);
  // The key is used once either way, so this isolate knows whose it is (what it remembers never changes, issue 16);
  // cold then means: its lookup is no longer cached in Redis.
  await json(await call("GET", "/me", { token: u.key }), 200);
  if (!authCached) await forgetKey(u);
  const { result, trips } = await countRoundTrips(request);
  expect(result.status, `${c.route}: ${await result.clone().text()}`).toBe(c.status);
  await result.arrayBuffer();
  return trips;
}

describe("marketing round trips per route", () => {
  afterAll(() => {
    const rows = Object.entries(measured).map(
      ([route, m]) =>
        `${route.padEnd(40)} warm pg=${m.warm.postgres} redis=${m.warm.redis}${m.cold ? `   cold pg=${m.cold.postgres} redis=${m.cold.redis}` : ""}`,
    );
    console.info(`round trips (warm = key lookup cached in Redis, cold = not cached)\n${rows.join("\n")}`);
  });

  for (const c of cases) {
    if (c.admin) {
      it(`${c.route} (admin token): one Postgres round trip, no Redis (unless the case declares otherwise)`, async () => {
        const trips = await measure(c, true);
        measured[c.route] = { warm: trips };
        expect(trips).toEqual({ postgres: 1 + (c.pgExtra ?? 0), redis: c.redisExtra ?? 0 });
      });
      continue;
    }
    // Redis: the key lookup and the per-principal rate limit in one pipeline (issue 16: this isolate has seen the key,
    // so the limit's window travels with the lookup), then what the route adds; cold adds the key's fill.
    it(`${c.route}: one Postgres round trip with the key cached, two without`, async () => {
      const warm = await measure(c, true);
      const cold = await measure(c, false);
      measured[c.route] = { warm, cold };
      // pgExtra: a declared `x-round-trips` exception of the route
      expect(warm).toEqual({ postgres: 1 + (c.pgExtra ?? 0), redis: 1 + (c.redisExtra ?? 0) });
      expect(cold).toEqual({ postgres: 2 + (c.pgExtra ?? 0), redis: 2 + (c.redisExtra ?? 0) });
    });
  }

  it("POST /runs/{id}/outputs when the run's naming parts are not cached: one extra read (cold path only), besides the pending insert and the stored update", async () => {
    await ensureSkill();
    const u = await createUser();
    const run = await createRun(u, skill);
    await redis().del(`marketing:run-key:${run.id}`);
    const { result, trips } = await countRoundTrips(() =>
      call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# x" } }),
    );
    expect(result.status).toBe(201);
    expect(trips).toEqual({ postgres: 3, redis: 3 });
  });

  it("every marketing operation in /openapi.json is measured above and documents its problem responses", async () => {
    const doc = await (await api("/openapi.json")).json<any>();
    const ops: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith("/v1/marketing/")) continue;
      for (const [method, op] of Object.entries<any>(item)) {
        const route = `${method.toUpperCase()} ${path.slice("/v1/marketing".length)}`;
        ops.push(route);
        expect(op.responses["401"]?.content?.["application/problem+json"], route).toBeDefined();
        const hasInput = (op.parameters ?? []).length > 0 || op.requestBody;
        if (hasInput) expect(op.responses["400"], route).toBeDefined();
        if ((op.parameters ?? []).some((p: any) => p.in === "path"))
          expect(op.responses["404"] ?? op.responses["400"], route).toBeDefined();
        expect(op.security, route).toBeDefined();
        expect(
          Object.keys(op.responses).some((s) => s.startsWith("2")),
          route,
        ).toBe(true);
      }
    }
    expect(ops.sort()).toEqual(cases.map((c) => c.route).sort());
    expect(doc.components.schemas.Problem).toBeDefined();
  });
});
