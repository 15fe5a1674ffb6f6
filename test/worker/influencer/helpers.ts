/**
 * Helpers of the influencer suites: Clerk session tokens signed with the test's own RSA key (RS256), QStash
 * deliveries signed like QStash does (HS256 JWT over URL and body hash), Svix-signed webhooks, and the fake
 * scraper and QStash APIs' control surfaces.
 */
import { importPKCS8, SignJWT } from "jose";
import { expect } from "vitest";
import { api, testEnv } from "../helpers";

export const env = testEnv as typeof testEnv & {
  TEST_CLERK_PRIVATE_KEY: string;
  CLERK_WEBHOOK_SECRET: string;
  SCRAPER_API_CONTROL_URL: string;
  QSTASH_CONTROL_URL: string;
  QSTASH_CURRENT_SIGNING_KEY: string;
  QSTASH_NEXT_SIGNING_KEY: string;
};

export const ENV_ADMIN = "user_env_admin";
export const uid = (prefix = "user_2") => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
export const word = (prefix = "kw") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

let privateKey: CryptoKey | undefined;
/** A Clerk-like session token for `sub`, signed RS256 with the key pair the global setup generated. */
export async function token(
  sub: string,
  opts: { azp?: string | null; expiresIn?: string; claims?: Record<string, unknown>; key?: CryptoKey } = {},
) {
  privateKey ??= await importPKCS8(env.TEST_CLERK_PRIVATE_KEY, "RS256");
  const jwt = new SignJWT({ ...(opts.azp === null ? {} : { azp: opts.azp ?? "https://app.example.com" }), ...opts.claims })
    .setProtectedHeader({ alg: "RS256", kid: "test" })
    .setSubject(sub)
    .setIssuer("https://clerk.test")
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "5m");
  return jwt.sign(opts.key ?? privateKey);
}

export interface CallOptions {
  token?: string;
  admin?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
}
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.admin) headers.Authorization = `Bearer ${testEnv.ADMIN_TOKEN}`;
  else if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  return api(`/v1/influencer${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}

/** The body of a response with the expected status (the problem body is shown when it differs). */
export async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

export async function problem(res: Response, status: number) {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = await json(res, status);
  expect(JSON.stringify(body)).not.toMatch(/stack|SELECT|INSERT|UPDATE|whsec_|sig_/);
  return body;
}

/** A user with a session token; `profile` creates the profile through GET /me. */
export async function user(opts: { profile?: boolean } = {}) {
  const id = uid();
  const t = await token(id);
  if (opts.profile !== false) await json(await call("GET", "/me", { token: t }), 200);
  return { id, token: t };
}
export type TestUser = Awaited<ReturnType<typeof user>>;

async function controlCall<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

export interface ScraperRule {
  match?: string;
  status?: number;
  delayMs?: number;
  invalid?: boolean;
  times?: number;
  nextCursor?: number | null;
  body?: unknown;
}
export const scraper = {
  creators: (key: string, items: Record<string, unknown>[], pageSize = 10) =>
    controlCall(env.SCRAPER_API_CONTROL_URL, "/creators", { key, items, pageSize }),
  rules: (rules: ScraperRule[]) => controlCall(env.SCRAPER_API_CONTROL_URL, "/rules", { rules }),
  calls: (match = "") =>
    controlCall<{ count: number; calls: any[] }>(env.SCRAPER_API_CONTROL_URL, `/calls?match=${encodeURIComponent(match)}`),
  reset: () => controlCall(env.SCRAPER_API_CONTROL_URL, "/reset", {}),
};

export interface Published {
  messageId: string;
  destination: string;
  body: string;
  headers: Record<string, string>;
}
export const qstash = {
  messages: async (jobId?: string) =>
    (await controlCall<{ messages: Published[] }>(env.QSTASH_CONTROL_URL, "/messages")).messages.filter(
      (m) => !jobId || m.destination.includes(jobId),
    ),
  rules: (rules: { match?: string; status?: number; delayMs?: number; times?: number }[]) =>
    controlCall(env.QSTASH_CONTROL_URL, "/rules", { rules }),
  reset: () => controlCall(env.QSTASH_CONTROL_URL, "/reset", {}),
};

const b64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** QStash's Upstash-Signature: an HS256 JWT (iss Upstash, sub = URL, body = base64url(sha256(body))). */
export async function qstashSignature(url: string, body: string, key = env.QSTASH_CURRENT_SIGNING_KEY, opts: { expiresIn?: string } = {}) {
  const bodyHash = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return new SignJWT({ body: bodyHash })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(url)
    .setIssuedAt()
    .setNotBefore("0s")
    .setExpirationTime(opts.expiresIn ?? "5m")
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(key));
}

export const processUrl = (jobId: string) => `http://api.test/v1/influencer/jobs/${jobId}/process`;

/** Delivers a step the way QStash would: POST to the destination with a signature over URL and body. */
export async function deliver(
  step: { jobId: string; cursor: number },
  opts: { key?: string; signature?: string | null; messageId?: string; body?: string; url?: string } = {},
) {
  const body = opts.body ?? JSON.stringify(step);
  const url = opts.url ?? processUrl(step.jobId);
  const signature = opts.signature === undefined ? await qstashSignature(url, body, opts.key) : opts.signature;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Upstash-Message-Id": opts.messageId ?? `msg_${crypto.randomUUID()}`,
  };
  if (signature !== null) headers["Upstash-Signature"] = signature;
  return api(new URL(processUrl(step.jobId)).pathname, { method: "POST", headers, body });
}

/** Runs the job to its end by delivering each step QStash was asked to publish; returns the step outcomes. */
export async function drain(jobId: string, max = 20) {
  const outcomes: any[] = [];
  let delivered = 0;
  for (let i = 0; i < max; i++) {
    const msgs = await qstash.messages(jobId);
    const next = msgs[delivered];
    if (!next) break;
    delivered++;
    outcomes.push(await json(await deliver(JSON.parse(next.body), { messageId: next.messageId, body: next.body }), 200));
  }
  return outcomes;
}

/** Svix's signature: v1,base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`)). */
export async function svixHeaders(body: string, opts: { id?: string; timestamp?: number; secret?: string } = {}) {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const secret = (opts.secret ?? env.CLERK_WEBHOOK_SECRET).replace(/^whsec_/, "");
  const raw = Uint8Array.from(atob(secret), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return {
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": `v1,${btoa(String.fromCharCode(...new Uint8Array(sig)))}`,
    "Content-Type": "application/json",
  };
}

export const tiktok = (handle: string, extra: Record<string, unknown> = {}) => ({
  creator: { name: `Creator ${handle}`, followers: 1000, uniqueId: `@${handle}`, emails: [`${handle}@example.com`], verified: false },
  video: { description: "v", url: `https://tiktok.com/@${handle}/video/1`, statistics: { likes: 1, comments: 1, shares: 1, views: 10 } },
  hashtags: ["#fit"],
  platform: "TikTok",
  ...extra,
});
export const instagram = (username: string) => ({
  id: `ig_${username}`,
  username,
  full_name: username,
  is_private: false,
  is_verified: true,
  profile_pic_url: "https://instagram.test/p.jpg",
  platform: "Instagram",
});

/** Creates a keyword campaign with its first job over `n` creators served `pageSize` per page. */
export async function campaignWithJob(u: TestUser, opts: { n?: number; pageSize?: number; targetResults?: number; key?: string } = {}) {
  const key = opts.key ?? word();
  await scraper.creators(
    key,
    Array.from({ length: opts.n ?? 5 }, (_, i) => tiktok(`${key}-c${i}`)),
    opts.pageSize ?? 2,
  );
  const created = await json(
    await call("POST", "/campaigns", {
      token: u.token,
      body: {
        name: `Campaign ${key}`,
        searchType: "keyword",
        job: { platform: "TikTok", keywords: [key], ...(opts.targetResults ? { targetResults: opts.targetResults } : {}) },
      },
    }),
    201,
  );
  return { key, campaign: created, job: created.job };
}
