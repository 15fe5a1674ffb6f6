/** Helpers of the chat suites: Supabase tokens minted here (HS256), Stripe signatures, the chat fake, calls as a user. */
import { SignJWT } from "jose";
import { api, sql, testEnv } from "../helpers";

export const chatEnv = testEnv as typeof testEnv & {
  SUPABASE_JWT_SECRET: string;
  STRIPE_WEBHOOK_SECRET: string;
  CHAT_LLM_CONTROL_URL: string;
};

export interface TokenOpts {
  email?: string | null;
  name?: string;
  avatarUrl?: string;
  secret?: string;
  audience?: string;
  expiresIn?: string | number;
  sub?: string;
  appMetadata?: Record<string, unknown>;
}

/** A Supabase-style access token for `userId`, signed with the test's secret unless told otherwise. */
export async function token(userId: string, opts: TokenOpts = {}): Promise<string> {
  const meta: Record<string, string> = {};
  if (opts.name) meta.name = opts.name;
  if (opts.avatarUrl) meta.avatar_url = opts.avatarUrl;
  const jwt = new SignJWT({
    ...(opts.email === null ? {} : { email: opts.email ?? `${userId.slice(0, 8)}@example.com` }),
    role: "authenticated",
    user_metadata: meta,
    ...(opts.appMetadata ? { app_metadata: opts.appMetadata } : {}),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(opts.sub ?? userId)
    .setAudience(opts.audience ?? "authenticated")
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "1h");
  return jwt.sign(new TextEncoder().encode(opts.secret ?? chatEnv.SUPABASE_JWT_SECRET));
}

export interface TestUser {
  id: string;
  token: string;
  headers: Record<string, string>;
}

export async function newUser(opts: TokenOpts = {}): Promise<TestUser> {
  const id = crypto.randomUUID();
  const t = await token(id, opts);
  return { id, token: t, headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" } };
}

/** Calls /v1/chat<path> as `u` with an optional JSON body. */
export function call(u: TestUser | null, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = u ? { ...u.headers } : { "Content-Type": "application/json" };
  return api(`/v1/chat${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function expectJson<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export const adminHeaders = { Authorization: `Bearer ${testEnv.ADMIN_TOKEN}`, "Content-Type": "application/json" };

async function controlCall<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(
    `${chatEnv.CHAT_LLM_CONTROL_URL}${path}`,
    body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`chat fake ${path}: ${res.status}`);
  return res.json() as Promise<T>;
}

export interface LlmRule {
  match?: string;
  status?: number;
  delayMs?: number;
  content?: string;
  chunks?: string[];
  reasoning?: string;
  chunkDelayMs?: number;
  breakAfter?: number;
  times?: number;
}
export const llm = {
  rules: (rules: LlmRule[]) => controlCall("/rules", { rules }),
  calls: () => controlCall<{ count: number; calls: any[] }>("/calls"),
  reset: () => controlCall("/reset", {}),
};

/** Signs a Stripe event the way Stripe does: `t=<unix>,v1=hex(HMAC-SHA256(secret, "t.body"))`. */
export async function stripeSignature(
  body: string,
  secret = chatEnv.STRIPE_WEBHOOK_SECRET,
  t = Math.floor(Date.now() / 1000),
): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function postStripe(event: unknown, sign: (body: string) => Promise<string | null> = stripeSignature): Promise<Response> {
  const body = JSON.stringify(event);
  const sig = await sign(body);
  return api("/v1/chat/webhooks/stripe", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(sig ? { "Stripe-Signature": sig } : {}) },
    body,
  });
}

export function subscriptionEvent(type: string, sub: Record<string, unknown>, id = `evt_${crypto.randomUUID().slice(0, 12)}`) {
  return { id, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object: { object: "subscription", ...sub } } };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { api, sql };

/** Calls the Worker's app with some bindings changed, waiting for its background work (the stored reply, …). */
export async function callWithEnv(
  vars: Record<string, string>,
  u: TestUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
  const { createApp } = await import("../../../src/app");
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`http://api.test/v1/chat${path}`, {
      method,
      headers: u.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...testEnv, ...vars },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, { status: res.status, headers: res.headers });
}
