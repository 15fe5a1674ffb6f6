/** Helpers of the marketing suites: users with keys, authenticated calls, skills, runs, and the caches. */
import { Redis } from "@upstash/redis/cloudflare";
import { expect } from "vitest";
import { api, testEnv } from "../helpers";

export const ADMIN = "test-admin-token-0123456789abcdef";
export const BASE = "/v1/marketing";

/** A short unique suffix, so suites sharing one database and one Redis never meet. */
export const uniq = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers["Content-Type"] = "application/json";
  return api(`${BASE}${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
}

export async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

/** A problem+json answer with this status; returns its body. */
export async function problem(res: Response, status: number): Promise<any> {
  const body = await json(res, status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(body.status).toBe(status);
  return body;
}

export const fieldPaths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

export interface TestUser { id: string; key: string; lookup: string }

export async function createUser(email?: string): Promise<TestUser> {
  const body = await json(await call("POST", "/users", { token: ADMIN, body: email ? { email } : {} }), 201);
  return { id: body.user.id, key: body.apiKey, lookup: body.user.apiKeyId };
}

export const redis = () => new Redis({ url: testEnv.UPSTASH_REDIS_REST_URL!, token: testEnv.UPSTASH_REDIS_REST_TOKEN!, enableAutoPipelining: false });

/** Drops the cached lookup of a user's key, so the next call authenticates against Postgres. */
export const forgetKey = (u: TestUser) => redis().del(`marketing:apikey:${u.lookup}`);

export function skillBody(overrides: Record<string, unknown> = {}) {
  return { description: "A test skill", type: "simple", s3Key: "skills/test/", triggerKeywords: ["test keyword"], ...overrides };
}

export async function upsertSkill(name: string, overrides: Record<string, unknown> = {}) {
  const res = await call("PUT", `/skills/${name}`, { token: ADMIN, body: skillBody(overrides) });
  expect([200, 201]).toContain(res.status);
  return res.json<any>();
}

export async function createRun(u: TestUser, skill: string, extra: Record<string, unknown> = {}) {
  return json(await call("POST", "/runs", { token: u.key, body: { skill, userMessage: "Write a headline", ...extra } }), 201);
}

export async function createClient(u: TestUser, name: string, extra: Record<string, unknown> = {}) {
  return json(await call("POST", "/clients", { token: u.key, body: { name, ...extra } }), 201);
}
