/** Helpers of the marketing suites: users with keys, authenticated calls, skills, runs, and the caches. */
import { expect } from "vitest";
import { api, bearer, client, redis } from "../helpers";

export const ADMIN = "test-admin-token-0123456789abcdef";
export const BASE = "/v1/marketing";

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

export interface TestUser {
  id: string;
  key: string;
  lookup: string;
}

export async function createUser(email?: string): Promise<TestUser> {
  const { data, response } = await client.POST("/v1/marketing/users", { ...bearer(ADMIN), body: email ? { email } : {} });
  expect(response.status).toBe(201);
  return { id: data!.user.id, key: data!.apiKey, lookup: data!.user.apiKeyId };
}

/** Drops the cached lookup of a user's key, so the next call authenticates against Postgres. */
export const forgetKey = (u: TestUser) => redis().del(`marketing:apikey:${u.lookup}`);

export function skillBody(overrides: Record<string, unknown> = {}) {
  return { description: "A test skill", type: "simple", s3Key: "skills/test/", triggerKeywords: ["test keyword"], ...overrides };
}

export async function upsertSkill(name: string, overrides: Record<string, unknown> = {}) {
  const { data, response } = await client.PUT("/v1/marketing/skills/{name}", {
    ...bearer(ADMIN),
    params: { path: { name } },
    body: skillBody(overrides) as never,
  });
  expect([200, 201]).toContain(response.status);
  return data as any;
}

export async function createRun(u: TestUser, skill: string, extra: Record<string, unknown> = {}) {
  const { data, response } = await client.POST("/v1/marketing/runs", {
    ...bearer(u.key),
    body: { skill, userMessage: "Write a headline", ...extra },
  });
  expect(response.status).toBe(201);
  return data as any;
}

export async function createClient(u: TestUser, name: string, extra: Record<string, unknown> = {}) {
  const { data, response } = await client.POST("/v1/marketing/clients", { ...bearer(u.key), body: { name, ...extra } });
  expect(response.status).toBe(201);
  return data as any;
}

/** What the bot and the user do to link a channel identity: the admin asks for a one-time code, the user redeems it. */
export async function linkCode(channel: string, channelUserId: string, channelUsername?: string): Promise<string> {
  const res = await call("POST", "/channels/link-codes", { token: ADMIN, body: { channel, channelUserId, channelUsername } });
  return (await json(res, 201)).code;
}

export async function linkChannel(u: TestUser, channel: string, channelUserId: string, channelUsername?: string) {
  return json(
    await call("POST", "/me/channels", { token: u.key, body: { code: await linkCode(channel, channelUserId, channelUsername) } }),
    201,
  );
}
