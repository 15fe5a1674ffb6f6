/**
 * The scheduler's objects for the isolation matrix: tenant A's job with an endpoint (its bearer token a secret),
 * a context entry and a second API key; B has a job of its own, to point at A's endpoint.
 */
import { call, createJob, createUser, ok, type TestUser } from "../../scheduler/helpers";
import { registerSecret } from "../logs";
import type { Tenant } from "../principals";
import type { TenantModule } from "./types";

const tenant = (u: TestUser): Tenant => ({
  module: "scheduler",
  subject: u.id,
  token: u.key,
  headers: { Authorization: `Bearer ${u.key}` },
});

export const scheduler: TenantModule = {
  module: "scheduler",
  async seed() {
    const a = await createUser();
    const b = await createUser();
    const job = await createJob(a, { definitionNL: "every day at 09:00" });
    const secret = `ep-secret-${crypto.randomUUID()}`;
    registerSecret(secret);
    const endpoint = await ok(
      await call(a, `/jobs/${job.id}/endpoints`, "POST", { name: "A's hook", url: "https://example.com/hook", bearerToken: secret }),
      201,
    );
    await ok(await call(a, `/jobs/${job.id}/context/color`, "PUT", { value: "blue" }), 201);
    const key = await ok(await call(a, "/api-keys", "POST", { name: "A's second key" }), 201);
    registerSecret(key.key);
    const bJob = await createJob(b, { definitionNL: "every day at 10:00" });
    return { a: tenant(a), b: tenant(b), ids: { job: job.id, endpoint: endpoint.id, apiKey: key.id }, own: { job: bJob.id } };
  },
  cases: {
    "DELETE /v1/scheduler/api-keys/{id}": (s) => [{ kind: "path", params: { id: s.ids.apiKey! } }],
    "GET /v1/scheduler/jobs/{id}": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "PATCH /v1/scheduler/jobs/{id}": (s) => [{ kind: "path", params: { id: s.ids.job! }, body: { definitionNL: "every day at 11:00" } }],
    "DELETE /v1/scheduler/jobs/{id}": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "POST /v1/scheduler/jobs/{id}/pause": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "POST /v1/scheduler/jobs/{id}/resume": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "POST /v1/scheduler/jobs/{id}/archive": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "POST /v1/scheduler/jobs/{id}/run": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "POST /v1/scheduler/jobs/{jobId}/endpoints": (s) => [
      { kind: "path", params: { jobId: s.ids.job! }, body: { name: "B's hook", url: "https://example.com/b" } },
    ],
    "GET /v1/scheduler/jobs/{jobId}/endpoints": (s) => [{ kind: "path", params: { jobId: s.ids.job! } }],
    "GET /v1/scheduler/jobs/{jobId}/endpoints/{endpointId}": (s) => [
      { kind: "path", params: { jobId: s.ids.job!, endpointId: s.ids.endpoint! } },
      // B's job at A's endpoint
      { kind: "path", params: { jobId: s.own.job!, endpointId: s.ids.endpoint! }, control: false },
    ],
    "PATCH /v1/scheduler/jobs/{jobId}/endpoints/{endpointId}": (s) => [
      { kind: "path", params: { jobId: s.ids.job!, endpointId: s.ids.endpoint! }, body: { url: "https://example.com/b" } },
      { kind: "path", params: { jobId: s.own.job!, endpointId: s.ids.endpoint! }, body: { url: "https://example.com/b" } },
    ],
    "DELETE /v1/scheduler/jobs/{jobId}/endpoints/{endpointId}": (s) => [
      { kind: "path", params: { jobId: s.ids.job!, endpointId: s.ids.endpoint! } },
      { kind: "path", params: { jobId: s.own.job!, endpointId: s.ids.endpoint! }, control: false },
    ],
    "GET /v1/scheduler/jobs/{jobId}/context": (s) => [{ kind: "path", params: { jobId: s.ids.job! } }],
    "PUT /v1/scheduler/jobs/{jobId}/context/{key}": (s) => [
      { kind: "path", params: { jobId: s.ids.job!, key: "color" }, body: { value: "red" } },
    ],
    "DELETE /v1/scheduler/jobs/{jobId}/context/{key}": (s) => [{ kind: "path", params: { jobId: s.ids.job!, key: "color" } }],
    "GET /v1/scheduler/jobs/{jobId}/messages": (s) => [{ kind: "path", params: { jobId: s.ids.job! } }],
    "GET /v1/scheduler/jobs/{jobId}/tasks": (s) => [{ kind: "path", params: { jobId: s.ids.job! } }],
    "GET /v1/scheduler/usage": (s) => [{ kind: "filter", query: { jobId: s.ids.job! } }],
  },
  exempt: {
    "DELETE /v1/scheduler/users/{id}": "admin only (ADMIN_TOKEN): the operator deletes any user",
  },
};
