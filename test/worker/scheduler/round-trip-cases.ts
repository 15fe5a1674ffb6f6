/**
 * One request per scheduler route, for round-trip-audit.test.ts, in each auth state: `warm` (API key lookup
 * cached), `cold` (not cached: one more round trip allowed), `session` (an Auth.js session, cached), `admin`.
 */
import { api, redisCommand, sql } from "../helpers";
import type { AuditCase } from "../round-trip-audit.types";
import { adminHeaders, BASE, call, createJob, createSession, createUser, ok, type TestUser, target, waitFor } from "./helpers";

type Send = (headers: Record<string, string>) => Promise<Response>;
type Prepare = (u: TestUser) => Promise<Send>;

const req =
  (path: string, method = "GET", body?: unknown): Send =>
  (headers) =>
    api(`${BASE}${path}`, {
      method,
      headers: { ...headers, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

function userCase(route: string, status: number, prepare: Prepare, settle?: () => Promise<void>): AuditCase {
  return {
    route: route.replace(" ", ` ${BASE}`),
    status,
    settle,
    states: {
      warm: async () => {
        const u = await createUser();
        const send = await prepare(u);
        await ok(await call(u, "/me"));
        return () => send(u.headers);
      },
      cold: async () => {
        const u = await createUser();
        const send = await prepare(u);
        await ok(await call(u, "/me")); // last-used throttle set: its deferred write is not part of this request
        await redisCommand("DEL", `scheduler:apikey:${u.prefix}`);
        return () => send(u.headers);
      },
      session: async () => {
        const u = await createUser();
        const send = await prepare(u);
        const token = await createSession(u.id);
        const headers = { Authorization: `Bearer ${token}` };
        await ok(await api(`${BASE}/me`, { headers }));
        return () => send(headers);
      },
    },
  };
}

const job = (u: TestUser, body: Record<string, unknown> = {}) => createJob(u, { definitionNL: "every day at 09:00", ...body });
const endpoint = async (u: TestUser, jobId: string) =>
  ok(await call(u, `/jobs/${jobId}/endpoints`, "POST", { name: "audit", url: "https://example.com/hook", bearerToken: "s3cret" }), 201);

let lastRunJob = "";

export const cases: AuditCase[] = [
  {
    route: `POST ${BASE}/users`,
    status: 201,
    states: {
      admin: async () => () => api(`${BASE}/users`, { method: "POST", headers: adminHeaders, body: JSON.stringify({ name: "audit" }) }),
    },
  },
  {
    route: `DELETE ${BASE}/users/{id}`,
    status: 204,
    states: {
      admin: async () => {
        const u = await createUser();
        await job(u);
        return () => api(`${BASE}/users/${u.id}`, { method: "DELETE", headers: adminHeaders });
      },
    },
  },
  userCase("GET /me", 200, async () => req("/me")),
  userCase("POST /api-keys", 201, async () => req("/api-keys", "POST", { name: "audit" })),
  userCase("GET /api-keys", 200, async () => req("/api-keys")),
  userCase("DELETE /api-keys/{id}", 204, async (u) => {
    const k = await ok(await call(u, "/api-keys", "POST", { name: "x" }), 201);
    return req(`/api-keys/${k.id}`, "DELETE");
  }),
  userCase("POST /jobs", 201, async () => req("/jobs", "POST", { definitionNL: "weekdays at 8am", timezone: "Europe/Paris" })),
  userCase("GET /jobs", 200, async (u) => {
    await job(u);
    await job(u);
    return req("/jobs?searchQuery=day&sortBy=definitionNL&pageSize=1");
  }),
  userCase("GET /jobs/{id}", 200, async (u) => {
    const j = await job(u);
    await endpoint(u, j.id);
    return req(`/jobs/${j.id}`);
  }),
  userCase("PATCH /jobs/{id}", 200, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}`, "PATCH", { definitionNL: "every monday at 8am" });
  }),
  userCase("DELETE /jobs/{id}", 204, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}`, "DELETE");
  }),
  userCase("POST /jobs/{id}/pause", 200, async (u) => {
    const j = await job(u, { status: "ACTIVE" });
    return req(`/jobs/${j.id}/pause`, "POST");
  }),
  userCase("POST /jobs/{id}/resume", 200, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/resume`, "POST");
  }),
  userCase("POST /jobs/{id}/archive", 200, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/archive`, "POST");
  }),
  userCase(
    "POST /jobs/{id}/run",
    202,
    async (u) => {
      const j = await job(u);
      await ok(await call(u, `/jobs/${j.id}/endpoints`, "POST", { name: "t", url: target.url("/audit/run") }), 201);
      lastRunJob = j.id;
      return req(`/jobs/${j.id}/run`, "POST");
    },
    async () => {
      // the queued run's own round trips belong to it, not to the next case
      await waitFor(
        async () =>
          (
            await sql<{ done: boolean }>(
              `SELECT "lastRunAt" IS NOT NULL AND lease_owner IS NULL AS done FROM scheduler."Job" WHERE id = $1`,
              [lastRunJob],
            )
          )[0]?.done,
      );
    },
  ),
  userCase("POST /jobs/{jobId}/endpoints", 201, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/endpoints`, "POST", { name: "a", url: "https://example.com/a", secretHeaders: { "x-api-key": "k" } });
  }),
  userCase("GET /jobs/{jobId}/endpoints", 200, async (u) => {
    const j = await job(u);
    await endpoint(u, j.id);
    return req(`/jobs/${j.id}/endpoints`);
  }),
  userCase("GET /jobs/{jobId}/endpoints/{endpointId}", 200, async (u) => {
    const j = await job(u);
    const e = await endpoint(u, j.id);
    return req(`/jobs/${j.id}/endpoints/${e.id}`);
  }),
  userCase("PATCH /jobs/{jobId}/endpoints/{endpointId}", 200, async (u) => {
    const j = await job(u);
    const e = await endpoint(u, j.id);
    return req(`/jobs/${j.id}/endpoints/${e.id}`, "PATCH", { bearerToken: "new", timeoutMs: 2000 });
  }),
  userCase("DELETE /jobs/{jobId}/endpoints/{endpointId}", 204, async (u) => {
    const j = await job(u);
    const e = await endpoint(u, j.id);
    return req(`/jobs/${j.id}/endpoints/${e.id}`, "DELETE");
  }),
  userCase("GET /jobs/{jobId}/context", 200, async (u) => {
    const j = await job(u);
    await call(u, `/jobs/${j.id}/context/a`, "PUT", { value: "1" });
    return req(`/jobs/${j.id}/context`);
  }),
  userCase("PUT /jobs/{jobId}/context/{key}", 201, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/context/audience`, "PUT", { value: "ops" });
  }),
  userCase("DELETE /jobs/{jobId}/context/{key}", 204, async (u) => {
    const j = await job(u);
    await call(u, `/jobs/${j.id}/context/a`, "PUT", { value: "1" });
    return req(`/jobs/${j.id}/context/a`, "DELETE");
  }),
  userCase("GET /jobs/{jobId}/messages", 200, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/messages?pageSize=5`);
  }),
  userCase("GET /jobs/{jobId}/tasks", 200, async (u) => {
    const j = await job(u);
    return req(`/jobs/${j.id}/tasks?sortDirection=asc`);
  }),
  userCase("GET /usage", 200, async (u) => {
    const j = await job(u);
    return req(`/usage?jobId=${j.id}`);
  }),
];
