/**
 * TEMPORARY stand-ins for platform pieces that are being built on other branches (PLATFORM_API.md):
 * the Principal, supabaseAuth, requireAdmin(opts) and verifyStripe, with the agreed names and signatures.
 * Deleted at merge; the module then imports them from src/http/….
 */
import type { Context, MiddlewareHandler } from "hono";
import { errors as joseErrors, jwtVerify } from "jose";
import type { AppContext, AppEnv, AppVariables } from "../../src/env";
import { bearerToken, requireAdmin as adminTokenOnly } from "../../src/http/auth";
import { HttpProblem, problemTypes, unauthorized, unavailable } from "../../src/http/problem";
import { constantTimeEqual } from "../../src/http/secrets";

export interface Principal { kind: "apiKey" | "jwt" | "session" | "admin"; subject: string; claims: Record<string, unknown> }

export type PrincipalContext = { Bindings: AppEnv; Variables: AppVariables & { principal?: Principal } };

type SupabaseEnv = AppEnv & { SUPABASE_JWT_SECRET?: string; SUPABASE_JWT_ISSUER?: string };

/** Supabase session JWTs (HS256 with SUPABASE_JWT_SECRET, audience "authenticated"). */
export const supabaseAuth = (): MiddlewareHandler<PrincipalContext> => async (c, next) => {
  const env = c.env as SupabaseEnv;
  if (!env.SUPABASE_JWT_SECRET) throw unavailable("Sign-in is not configured (SUPABASE_JWT_SECRET).", 60);
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw unauthorized("This route needs a Supabase access token as a bearer token.");
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(env.SUPABASE_JWT_SECRET), {
      algorithms: ["HS256"], audience: "authenticated", issuer: env.SUPABASE_JWT_ISSUER || undefined, requiredClaims: ["sub", "exp"],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) throw unauthorized(err instanceof joseErrors.JWTExpired ? "The token has expired." : "The token is not valid.");
    throw err;
  }
  c.set("principal", { kind: "jwt", subject: String(claims.sub), claims });
  await next();
};

/** Admin routes: the admin token (the platform version also admits principals for which `isAdmin` is true). */
export function requireAdmin(_opts?: { isAdmin?: (c: Context<AppContext>, p: Principal) => Promise<boolean> }): MiddlewareHandler<PrincipalContext> {
  return async (c, next) => {
    await adminTokenOnly(c as unknown as Context<AppContext>, async () => {});
    c.set("principal", { kind: "admin", subject: "admin", claims: {} });
    await next();
  };
}

export interface StripeEvent { id: string; type: string; created: number; data: { object: Record<string, unknown> }; [k: string]: unknown }

const badSignature = (detail: string) => new HttpProblem({ status: 400, type: problemTypes.validation, detail });

async function hmacHex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stripe-Signature: `t=<unix>,v1=<hex hmac of "t.body">`, within `toleranceSec` (300) of now, under any of `secrets`. */
export async function verifyStripe(rawBody: string, header: string | null, secrets: string[], opts: { toleranceSec?: number; now?: number } = {}): Promise<StripeEvent> {
  if (!header) throw badSignature("The Stripe-Signature header is missing.");
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const sigs = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!Number.isInteger(t) || sigs.length === 0) throw badSignature("The Stripe-Signature header is malformed.");
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) throw badSignature("The Stripe signature is too old.");
  for (const secret of secrets) {
    const expected = await hmacHex(secret, `${t}.${rawBody}`);
    if (sigs.some((s) => constantTimeEqual(s, expected))) {
      let event: StripeEvent;
      try {
        event = JSON.parse(rawBody);
      } catch {
        throw badSignature("The event is not JSON.");
      }
      if (!event || typeof event.id !== "string" || typeof event.type !== "string") throw badSignature("The event has no id or type.");
      return event;
    }
  }
  throw badSignature("The Stripe signature does not match.");
}
