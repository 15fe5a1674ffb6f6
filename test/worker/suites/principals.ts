/**
 * Credentials for the suites of issue 15, per module, minted with the modules' own test helpers: a valid
 * credential of the module's kind for a fresh tenant, the admin token, and the ways a credential can be
 * refused (malformed, expired, wrongly signed, revoked, another module's kind). Where a kind cannot be
 * expired or revoked, `notApplicable` says why (the auth matrix prints it).
 */
import { createUser as marketingUser } from "../marketing/helpers";
import { token as supabaseToken } from "../chat/helpers";
import { createSession, createUser as schedulerUser } from "../scheduler/helpers";
import { ENV_ADMIN, token as clerkToken, uid as clerkUid, user as influencerUser } from "../influencer/helpers";
import { testEnv } from "../helpers";
import { bearerHeaders, send } from "./send";

export type ModuleName = "marketing" | "chat" | "scheduler" | "influencer" | "blog";

export interface Tenant {
  module: ModuleName;
  /** the user id the module scopes rows by */
  subject: string;
  /** the bearer token (API key, JWT or session token) */
  token: string;
  headers: Record<string, string>;
}

export interface Refused {
  /** malformed | expired | wrong-signature | revoked | other-kind:<kind> */
  label: string;
  token: string;
}

export const ADMIN_TOKEN = testEnv.ADMIN_TOKEN as string;
export const adminHeaders = () => bearerHeaders(ADMIN_TOKEN);

const past = () => Math.floor(Date.now() / 1000) - 600;

/** A second RSA key, so a Clerk-shaped token can be signed by someone else. */
let foreignRsa: Promise<CryptoKey> | undefined;
const foreignRsaKey = () => {
  foreignRsa ??= crypto.subtle
    .generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, [
      "sign",
      "verify",
    ])
    .then((k) => (k as CryptoKeyPair).privateKey);
  return foreignRsa;
};

/** Replaces the secret part of `<prefix>_<lookup>_<secret>` keeping its length: well-formed, known lookup, wrong secret. */
const wrongSecret = (key: string) => {
  const i = key.lastIndexOf("_");
  const secret = key.slice(i + 1);
  return `${key.slice(0, i + 1)}${secret.startsWith("A") ? "B" : "A"}${secret.slice(1)}`;
};

/** A valid credential of the module's kind for a new tenant (user) of that module. */
export async function mintTenant(module: ModuleName): Promise<Tenant> {
  switch (module) {
    case "marketing": {
      const u = await marketingUser();
      return { module, subject: u.id, token: u.key, headers: bearerHeaders(u.key) };
    }
    case "chat": {
      const id = crypto.randomUUID();
      const t = await supabaseToken(id);
      return { module, subject: id, token: t, headers: bearerHeaders(t) };
    }
    case "scheduler": {
      const u = await schedulerUser();
      return { module, subject: u.id, token: u.key, headers: bearerHeaders(u.key) };
    }
    case "influencer": {
      const u = await influencerUser();
      return { module, subject: u.id, token: u.token, headers: bearerHeaders(u.token) };
    }
    case "blog":
      throw new Error("blog has no user credentials: its routes are public or admin");
  }
}

/** The scheduler's other credential kind: an Auth.js database session for a new scheduler user. */
export async function mintSchedulerSession(): Promise<Tenant> {
  const u = await schedulerUser();
  const t = await createSession(u.id);
  return { module: "scheduler", subject: u.id, token: t, headers: bearerHeaders(t) };
}

/** An influencer user whose Clerk token passes the module's admin check (INFLUENCER_ADMIN_USER_IDS). */
export async function mintInfluencerAdmin(): Promise<Tenant> {
  const t = await clerkToken(ENV_ADMIN);
  return { module: "influencer", subject: ENV_ADMIN, token: t, headers: bearerHeaders(t) };
}

/** A chat user whose Supabase token passes the module's admin check (app_metadata.role "admin", set server-side). */
export async function mintChatAdmin(): Promise<Tenant> {
  const id = crypto.randomUUID();
  const t = await supabaseToken(id, { appMetadata: { role: "admin" } });
  return { module: "chat", subject: id, token: t, headers: bearerHeaders(t) };
}

/** Why a refusal kind does not exist for a module's credentials. */
export const notApplicable: Record<Exclude<ModuleName, "blog">, Partial<Record<string, string>>> = {
  marketing: { expired: "marketing API keys do not expire; they are revoked by rotation" },
  chat: { revoked: "Supabase access tokens are verified offline (HS256); revocation is their expiry, covered by 'expired'" },
  scheduler: {},
  influencer: { revoked: "Clerk session tokens are verified offline (RS256); revocation is their expiry, covered by 'expired'" },
};

/** Valid credentials of every kind — each is "another module's kind" for the modules it does not belong to. */
async function credentialsByKind(): Promise<Record<string, string>> {
  return {
    "marketing-api-key": (await mintTenant("marketing")).token,
    "supabase-jwt": (await mintTenant("chat")).token,
    "scheduler-api-key": (await mintTenant("scheduler")).token,
    "scheduler-session": (await mintSchedulerSession()).token,
    "clerk-jwt": await clerkToken(clerkUid()),
    "admin-token": ADMIN_TOKEN,
  };
}
const kindsOf: Record<Exclude<ModuleName, "blog">, string[]> = {
  marketing: ["marketing-api-key"],
  chat: ["supabase-jwt"],
  scheduler: ["scheduler-api-key", "scheduler-session"],
  influencer: ["clerk-jwt"],
};

/** Every way the module must refuse a credential with 401 (admin-token is not "another kind" on admin routes). */
export async function refusedCredentials(module: Exclude<ModuleName, "blog">): Promise<Refused[]> {
  const out: Refused[] = [];
  const others = await credentialsByKind();
  for (const [kind, token] of Object.entries(others)) {
    if (!kindsOf[module].includes(kind) && kind !== "admin-token") out.push({ label: `other-kind:${kind}`, token });
  }
  switch (module) {
    case "marketing": {
      const u = await marketingUser();
      const rotated = await send("POST", "/v1/marketing/me/api-key/rotate", { headers: bearerHeaders(u.key) });
      if (rotated.status !== 200) throw new Error(`rotate: ${rotated.status} ${rotated.text}`);
      out.push(
        { label: "malformed", token: "mk_not-a-key" },
        { label: "wrong-signature", token: wrongSecret((await marketingUser()).key) },
        { label: "revoked", token: u.key },
      );
      break;
    }
    case "chat": {
      const id = crypto.randomUUID();
      out.push(
        { label: "malformed", token: "eyJhbGciOiJIUzI1NiJ9.not-json.sig" },
        { label: "expired", token: await supabaseToken(id, { expiresIn: past() }) },
        { label: "wrong-signature", token: await supabaseToken(id, { secret: "not-the-supabase-secret-0123456789" }) },
      );
      break;
    }
    case "scheduler": {
      const u = await schedulerUser();
      const second = await send("POST", "/v1/scheduler/api-keys", { headers: bearerHeaders(u.key), body: { name: "to-revoke" } });
      if (second.status !== 201) throw new Error(`api key: ${second.status} ${second.text}`);
      const revoked = await send("DELETE", `/v1/scheduler/api-keys/${second.json.id}`, { headers: bearerHeaders(u.key) });
      if (revoked.status !== 204) throw new Error(`revoke: ${revoked.status} ${revoked.text}`);
      out.push(
        { label: "malformed", token: "sch_x" },
        { label: "expired", token: await createSession(u.id, -60_000) },
        { label: "wrong-signature", token: wrongSecret(u.key) },
        { label: "revoked", token: second.json.key },
      );
      break;
    }
    case "influencer": {
      const id = clerkUid();
      out.push(
        { label: "malformed", token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0" },
        { label: "expired", token: await clerkToken(id, { expiresIn: "-10m" }) },
        { label: "wrong-signature", token: await clerkToken(id, { key: await foreignRsaKey() }) },
      );
      break;
    }
  }
  return out;
}

/** Bearer-token shapes sent to an admin-token route that are not the admin token. */
export const notTheAdminToken = () => [
  { label: "malformed", token: "admin" },
  { label: "wrong-admin-token", token: `${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith("0") ? "1" : "0"}` },
];
