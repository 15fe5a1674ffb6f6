/** Helpers of the scheduler suites: users, keys and sessions, the job target fake, cron runs and queued runs. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../../src/app";
import { expect } from "vitest";
import { RUN_JOB, type RunMessage } from "../../../functions/scheduler/jobs";
import { runJob } from "../../../functions/scheduler/runner";
import type { AppEnv } from "../../../src/env";
import { createLogger } from "../../../src/core/logger";
import worker from "../../../src/index";
import { api, sql, testEnv } from "../helpers";

export const schedEnv = testEnv as typeof testEnv & {
  JOB_TARGET_URL: string;
  JOB_TARGET_CONTROL_URL: string;
  SCHEDULER_LLM_CONTROL_URL: string;
};
export const BASE = "/v1/scheduler";
export const adminHeaders = { Authorization: `Bearer ${testEnv.ADMIN_TOKEN}`, "Content-Type": "application/json" };

export const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export interface TestUser {
  id: string;
  key: string;
  prefix: string;
  headers: Record<string, string>;
}

export async function createUser(body: Record<string, unknown> = {}): Promise<TestUser> {
  const res = await api(`${BASE}/users`, { method: "POST", headers: adminHeaders, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  const out = await res.json<{ user: { id: string }; apiKey: { key: string; prefix: string } }>();
  return {
    id: out.user.id,
    key: out.apiKey.key,
    prefix: out.apiKey.prefix,
    headers: { Authorization: `Bearer ${out.apiKey.key}`, "Content-Type": "application/json" },
  };
}

/** An Auth.js database session for the user, as the Auth.js adapter would write it. */
export async function createSession(userId: string, expiresInMs = 3600_000): Promise<string> {
  const token = `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, "");
  await sql(
    `INSERT INTO scheduler."session" ("sessionToken", "userId", "expires") VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
    [token, userId, expiresInMs],
  );
  return token;
}

export async function call(user: TestUser | Record<string, string>, path: string, method = "GET", body?: unknown): Promise<Response> {
  const headers = "headers" in user ? (user as TestUser).headers : (user as Record<string, string>);
  return api(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function ok<T = any>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

export async function createJob(user: TestUser, body: Record<string, unknown>): Promise<any> {
  return ok(await call(user, "/jobs", "POST", body), 201);
}

export async function addEndpoint(user: TestUser, jobId: string, body: Record<string, unknown>): Promise<any> {
  return ok(await call(user, `/jobs/${jobId}/endpoints`, "POST", { name: "target", ...body }), 201);
}

/** Makes a job due now (as if its time had come). */
export const makeDue = (jobId: string) =>
  sql(`UPDATE scheduler."Job" SET "nextRunAt" = now() - interval '1 second' WHERE id = $1`, [jobId]);

/** Pauses every ACTIVE job, so a cron run in this test claims only what the test makes due. */
export const quiesce = () => sql(`UPDATE scheduler."Job" SET status = 'PAUSED' WHERE status = 'ACTIVE'`);

async function controlCall<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake control ${path}: ${res.status}`);
  return res.json() as Promise<T>;
}

interface Rule {
  match?: string;
  status?: number;
  delayMs?: number;
  invalid?: boolean;
  times?: number;
  content?: string;
}

/** The HTTP target jobs call (test/local/fakes/job-target.ts). */
export const target = {
  url: (path: string) => `${schedEnv.JOB_TARGET_URL}${path}`,
  rules: (rules: Rule[]) => controlCall(schedEnv.JOB_TARGET_CONTROL_URL, "/rules", { rules }),
  calls: (match = "") =>
    controlCall<{ count: number; calls: any[] }>(schedEnv.JOB_TARGET_CONTROL_URL, `/calls?match=${encodeURIComponent(match)}`),
  reset: () => controlCall(schedEnv.JOB_TARGET_CONTROL_URL, "/reset", {}),
};

/** The LLM fake (an OpenAI-compatible chat-completions server). */
export const llm = {
  rules: (rules: Rule[]) => controlCall(schedEnv.SCHEDULER_LLM_CONTROL_URL, "/rules", { rules }),
  calls: () => controlCall<{ count: number; calls: any[] }>(schedEnv.SCHEDULER_LLM_CONTROL_URL, "/calls"),
  reset: () => controlCall(schedEnv.SCHEDULER_LLM_CONTROL_URL, "/reset", {}),
};

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Calls the Worker's app with some bindings changed, and waits for its background work. */
export async function callWith(vars: Record<string, unknown>, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(`http://api.test${path}`, init), { ...testEnv, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Runs the Worker's scheduled() for `cron`, with the JOBS queue replaced by one that records what is sent. */
export async function runCron(cron = "* * * * *", vars: Partial<AppEnv> = {}): Promise<RunMessage[]> {
  const sent: RunMessage[] = [];
  const JOBS = {
    send: async (body: RunMessage) => {
      sent.push(body);
    },
    sendBatch: async (msgs: { body: RunMessage }[]) => {
      sent.push(...msgs.map((m) => m.body));
    },
  } as unknown as Queue;
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), { ...testEnv, JOBS, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return sent;
}

/** Runs queued run messages as the queue consumer would, `concurrency` at a time. */
export async function deliver(messages: RunMessage[], concurrency = 10, vars: Partial<AppEnv> = {}) {
  const logger = createLogger("warn");
  const queue = [...messages];
  const results: Awaited<ReturnType<typeof runJob>>[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        expect(m.job).toBe(RUN_JOB);
        results.push(await runJob({ ...testEnv, ...vars }, m.jobId, m.token, logger));
      }
    }),
  );
  return results;
}

export const jobRow = async (id: string) =>
  (
    await sql<any>(`SELECT *, lease_owner AS "leaseOwner", lease_expires_at AS "leaseExpiresAt" FROM scheduler."Job" WHERE id = $1`, [id])
  )[0];
