/**
 * Round trips per route, counted at the Neon and Upstash stand-ins. Budget: authentication costs at most one
 * Postgres query (none when the key's lookup is cached in Redis), each route at most one more.
 */
import { afterAll, describe, expect, it } from "vitest";
import { api, countRoundTrips, type RoundTrips } from "./helpers";
import { ADMIN, call, createClient, createRun, createUser, forgetKey, json, redis, type TestUser, uniq, upsertSkill } from "./marketing-helpers";

const skill = uniq("rt-skill");
let skillReady: Promise<unknown> | undefined;
const ensureSkill = () => (skillReady ??= upsertSkill(skill, { triggerKeywords: ["headline"] }));

async function newOutput(u: TestUser) {
  const run = await createRun(u, skill);
  return json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# rt" } }), 201);
}
async function runIn(u: TestUser, status: "queued" | "running") {
  const run = await createRun(u, skill);
  if (status === "running") await json(await call("POST", `/runs/${run.id}/start`, { token: u.key }), 200);
  return run.id as string;
}

type Prepare = (u: TestUser) => Promise<() => Promise<Response>>;
interface Case { route: string; status: number; admin?: boolean; prepare: Prepare; redisExtra?: number }

const cases: Case[] = [
  { route: "POST /users", status: 201, admin: true, prepare: async () => () => call("POST", "/users", { token: ADMIN, body: {} }) },
  { route: "GET /users/{id}", status: 200, admin: true, prepare: async (u) => () => call("GET", `/users/${u.id}`, { token: ADMIN }) },
  {
    route: "GET /channels/lookup", status: 200, admin: true,
    prepare: async (u) => {
      const id = uniq("tg");
      await json(await call("POST", "/me/channels", { token: u.key, body: { channel: "telegram", channelUserId: id } }), 201);
      return () => call("GET", `/channels/lookup?channel=telegram&channelUserId=${id}`, { token: ADMIN });
    },
  },
  { route: "PUT /skills/{name}", status: 200, admin: true, prepare: async () => { await ensureSkill(); return () => call("PUT", `/skills/${skill}`, { token: ADMIN, body: { description: "d", type: "simple", s3Key: "s/", triggerKeywords: ["headline"] } }); } },
  { route: "GET /me", status: 200, prepare: async (u) => () => call("GET", "/me", { token: u.key }) },
  { route: "POST /me/api-key/rotate", status: 200, redisExtra: 1, prepare: async (u) => () => call("POST", "/me/api-key/rotate", { token: u.key }) },
  { route: "POST /me/channels", status: 201, prepare: async (u) => () => call("POST", "/me/channels", { token: u.key, body: { channel: "web", channelUserId: uniq("w") } }) },
  {
    route: "GET /me/channels/{id}", status: 200,
    prepare: async (u) => {
      const link = await json(await call("POST", "/me/channels", { token: u.key, body: { channel: "web", channelUserId: uniq("w") } }), 201);
      return () => call("GET", `/me/channels/${link.id}`, { token: u.key });
    },
  },
  {
    route: "DELETE /me/channels/{id}", status: 204,
    prepare: async (u) => {
      const link = await json(await call("POST", "/me/channels", { token: u.key, body: { channel: "web", channelUserId: uniq("w") } }), 201);
      return () => call("DELETE", `/me/channels/${link.id}`, { token: u.key });
    },
  },
  { route: "POST /clients", status: 201, prepare: async (u) => () => call("POST", "/clients", { token: u.key, body: { name: uniq("Rt") } }) },
  { route: "GET /clients", status: 200, prepare: async (u) => { await createClient(u, uniq("Rt")); return () => call("GET", "/clients?q=rt", { token: u.key }); } },
  { route: "GET /clients/{id}", status: 200, prepare: async (u) => { const c = await createClient(u, uniq("Rt")); return () => call("GET", `/clients/${c.id}`, { token: u.key }); } },
  { route: "PATCH /clients/{id}", status: 200, prepare: async (u) => { const c = await createClient(u, uniq("Rt")); return () => call("PATCH", `/clients/${c.id}`, { token: u.key, body: { slug: uniq("moved") } }); } },
  { route: "DELETE /clients/{id}", status: 204, prepare: async (u) => { const c = await createClient(u, uniq("Rt")); return () => call("DELETE", `/clients/${c.id}`, { token: u.key }); } },
  { route: "POST /skills/match", status: 200, prepare: async (u) => { await ensureSkill(); return () => call("POST", "/skills/match", { token: u.key, body: { message: "a headline please" } }); } },
  { route: "GET /skills", status: 200, prepare: async (u) => { await ensureSkill(); return () => call("GET", "/skills?type=simple", { token: u.key }); } },
  { route: "GET /skills/{name}", status: 200, prepare: async (u) => { await ensureSkill(); return () => call("GET", `/skills/${skill}`, { token: u.key }); } },
  {
    route: "GET /skills/{name}/feedback-summary", status: 200,
    prepare: async (u) => { await ensureSkill(); return () => call("GET", `/skills/${skill}/feedback-summary?days=7`, { token: u.key }); },
  },
  { route: "POST /runs", status: 201, redisExtra: 1, prepare: async (u) => { await ensureSkill(); return () => call("POST", "/runs", { token: u.key, body: { skill, userMessage: "go" } }); } },
  { route: "GET /runs", status: 200, prepare: async (u) => { await ensureSkill(); await newOutput(u); return () => call("GET", `/runs?skill=${skill}&status=queued`, { token: u.key }); } },
  { route: "GET /runs/{id}", status: 200, prepare: async (u) => { await ensureSkill(); const o = await newOutput(u); return () => call("GET", `/runs/${o.runId}`, { token: u.key }); } },
  { route: "POST /runs/{id}/start", status: 200, prepare: async (u) => { await ensureSkill(); const id = await runIn(u, "queued"); return () => call("POST", `/runs/${id}/start`, { token: u.key }); } },
  {
    route: "POST /runs/{id}/complete", status: 200,
    prepare: async (u) => { await ensureSkill(); const id = await runIn(u, "running"); return () => call("POST", `/runs/${id}/complete`, { token: u.key, body: { tokensInput: 1, tokensOutput: 1 } }); },
  },
  {
    route: "POST /runs/{id}/fail", status: 200,
    prepare: async (u) => { await ensureSkill(); const id = await runIn(u, "running"); return () => call("POST", `/runs/${id}/fail`, { token: u.key, body: { errorMessage: "boom" } }); },
  },
  { route: "POST /runs/{id}/cancel", status: 200, prepare: async (u) => { await ensureSkill(); const id = await runIn(u, "queued"); return () => call("POST", `/runs/${id}/cancel`, { token: u.key }); } },
  {
    route: "POST /runs/{id}/outputs", status: 201, redisExtra: 1,
    prepare: async (u) => { await ensureSkill(); const r = await createRun(u, skill); return () => call("POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# x" } }); },
  },
  { route: "GET /outputs/{id}", status: 200, prepare: async (u) => { await ensureSkill(); const o = await newOutput(u); return () => call("GET", `/outputs/${o.id}`, { token: u.key }); } },
  { route: "GET /outputs/{id}/content", status: 200, prepare: async (u) => { await ensureSkill(); const o = await newOutput(u); return () => call("GET", `/outputs/${o.id}/content`, { token: u.key }); } },
  {
    route: "POST /outputs/{id}/feedback", status: 201,
    prepare: async (u) => { await ensureSkill(); const o = await newOutput(u); return () => call("POST", `/outputs/${o.id}/feedback`, { token: u.key, body: { overallScore: 4, source: "web" } }); },
  },
  {
    route: "GET /outputs/{id}/feedback", status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      await json(await call("POST", `/outputs/${o.id}/feedback`, { token: u.key, body: { overallScore: 4, source: "web" } }), 201);
      return () => call("GET", `/outputs/${o.id}/feedback`, { token: u.key });
    },
  },
];

const measured: Record<string, { warm: RoundTrips; cold?: RoundTrips }> = {};

async function measure(c: Case, authCached: boolean): Promise<RoundTrips> {
  const u = await createUser();
  const request = await c.prepare(u);
  if (authCached) await json(await call("GET", "/me", { token: u.key }), 200);
  else await forgetKey(u);
  const { result, trips } = await countRoundTrips(request);
  expect(result.status, `${c.route}: ${await result.clone().text()}`).toBe(c.status);
  await result.arrayBuffer();
  return trips;
}

describe("marketing round trips per route", () => {
  afterAll(() => {
    const rows = Object.entries(measured).map(([route, m]) => `${route.padEnd(40)} warm pg=${m.warm.postgres} redis=${m.warm.redis}` + (m.cold ? `   cold pg=${m.cold.postgres} redis=${m.cold.redis}` : ""));
    console.info(`round trips (warm = key lookup cached in Redis, cold = not cached)\n${rows.join("\n")}`);
  });

  for (const c of cases) {
    if (c.admin) {
      it(`${c.route} (admin token): one Postgres round trip, no Redis`, async () => {
        const trips = await measure(c, true);
        measured[c.route] = { warm: trips };
        expect(trips).toEqual({ postgres: 1, redis: 0 });
      });
      continue;
    }
    it(`${c.route}: one Postgres round trip with the key cached, two without`, async () => {
      const warm = await measure(c, true);
      const cold = await measure(c, false);
      measured[c.route] = { warm, cold };
      expect(warm).toEqual({ postgres: 1, redis: 1 + (c.redisExtra ?? 0) });
      expect(cold).toEqual({ postgres: 2, redis: 2 + (c.redisExtra ?? 0) });
    });
  }

  it("POST /runs/{id}/outputs when the run's naming parts are not cached: one extra read (cold path only)", async () => {
    await ensureSkill();
    const u = await createUser();
    const run = await createRun(u, skill);
    await redis().del(`marketing:run-key:${run.id}`);
    const { result, trips } = await countRoundTrips(() => call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# x" } }));
    expect(result.status).toBe(201);
    expect(trips).toEqual({ postgres: 2, redis: 3 });
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
        if ((op.parameters ?? []).some((p: any) => p.in === "path")) expect(op.responses["404"] ?? op.responses["400"], route).toBeDefined();
        expect(op.security, route).toBeDefined();
        expect(Object.keys(op.responses).some((s) => s.startsWith("2")), route).toBe(true);
      }
    }
    expect(ops.sort()).toEqual(cases.map((c) => c.route).sort());
    expect(doc.components.schemas.Problem).toBeDefined();
  });
});
