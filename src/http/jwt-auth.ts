/**
 * Bearer JWTs verified offline with jose: signature, `exp`/`nbf` (small clock skew), `iss`, `aud`, and Clerk's
 * `azp` allow-list. Keys: an HS256 shared secret, a PEM public key (RS256/ES256) or a JWKS URL (src/http/jwks.ts).
 * Sets the principal `{ kind: "jwt", subject: sub, claims: payload }`.
 */
import type { MiddlewareHandler } from "hono";
import { errors, importSPKI, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { CryptoKey as JoseKey } from "jose";
import type { AppEnv } from "../core/env";
import type { AppContext } from "./context";
import { bearerToken } from "./auth";
import { jwksKeyResolver } from "./jwks";
import { authFailure, authFailureBlocked, principalLimit } from "./rate-limit";
import { HttpProblem, invalidToken, unauthorized, unavailable } from "../core/problem";

export type JwtKeySource =
  | { secret: string }
  | { publicKeyPem: string; alg?: "RS256" | "ES256" }
  | { jwksUrl: string; algorithms?: string[] };

export interface JwtProfile {
  key: JwtKeySource;
  issuer?: string | string[];
  audience?: string | string[];
  /** `azp` must be one of these when the token carries one (Clerk's rule); unset or empty = not checked */
  authorizedParties?: string[];
  /** seconds of clock skew allowed on exp/nbf/iat. Default 5 */
  clockToleranceSec?: number;
  /** extra check of `sub` (e.g. a uuid); a token failing it is invalid */
  subject?: (sub: string) => boolean;
}

/** A profile, or how to build one from the env (secrets arrive per request on Workers). */
export type JwtAuthOptions = JwtProfile | ((env: AppEnv) => JwtProfile);

const encoder = new TextEncoder();
const pemKeys = new Map<string, Promise<JoseKey>>();

export { invalidToken } from "../core/problem";

function keyFor(
  c: { env: AppEnv; get(k: "logger"): any },
  source: JwtKeySource,
): { key: Uint8Array | JWTVerifyGetKey | Promise<JoseKey>; algorithms: string[] } {
  if ("secret" in source) return { key: encoder.encode(source.secret), algorithms: ["HS256"] };
  if ("publicKeyPem" in source) {
    const alg = source.alg ?? "RS256";
    const id = `${alg}:${source.publicKeyPem}`;
    let key = pemKeys.get(id);
    if (!key) {
      key = importSPKI(source.publicKeyPem.replace(/\\n/g, "\n"), alg);
      key.catch(() => pemKeys.delete(id));
      pemKeys.set(id, key);
    }
    return { key, algorithms: [alg] };
  }
  return { key: jwksKeyResolver(c.env, source.jwksUrl, c.get("logger")), algorithms: source.algorithms ?? ["RS256", "ES256"] };
}

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The token has expired.";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return "The token is not valid yet.";
    return `The token's ${err.claim} claim is not accepted.`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return "The token was signed with an unknown key.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted.";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  return "The token is not a valid JWT.";
}

/** Verifies a bearer JWT against a profile; returns its payload or throws a 401/503 problem. */
export async function verifyJwt(
  c: { env: AppEnv; get(k: "logger"): any },
  token: string,
  profile: JwtProfile,
): Promise<JWTPayload & { sub: string }> {
  const { key, algorithms } = keyFor(c, profile.key);
  let payload: JWTPayload;
  try {
    const resolved = key instanceof Promise ? await key : key;
    ({ payload } = await jwtVerify(token, resolved as Parameters<typeof jwtVerify>[1] & JWTVerifyGetKey, {
      algorithms,
      issuer: profile.issuer,
      audience: profile.audience,
      clockTolerance: profile.clockToleranceSec ?? 5,
      requiredClaims: ["exp", "sub"],
    }));
  } catch (err) {
    if (err instanceof HttpProblem) throw err; // JWKS could not be loaded: 503
    if (err instanceof TypeError && !(err instanceof errors.JOSEError))
      throw unavailable("The token verification key is misconfigured.", 60);
    throw invalidToken(reason(err));
  }
  if (typeof payload.sub !== "string" || !payload.sub) throw invalidToken("The token has no subject.");
  if (profile.subject && !profile.subject(payload.sub)) throw invalidToken("The token's sub claim is not accepted.");
  const azp = (payload as { azp?: unknown }).azp;
  if (profile.authorizedParties?.length && azp !== undefined && !profile.authorizedParties.includes(String(azp))) {
    throw invalidToken("The token's azp claim is not an authorized party.");
  }
  return payload as JWTPayload & { sub: string };
}

export function jwtAuth(opts: JwtAuthOptions): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const blocked = authFailureBlocked(c);
    if (blocked) throw blocked;
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw unauthorized("This route needs a bearer token.");
    if (token.split(".").length !== 3) throw await authFailure(c, invalidToken("The token is not a valid JWT."));
    const profile = typeof opts === "function" ? opts(c.env) : opts;
    let payload: Awaited<ReturnType<typeof verifyJwt>>;
    try {
      payload = await verifyJwt(c, token, profile);
    } catch (err) {
      // A refused token counts toward the IP's failed-auth limit; a 503 (keys unavailable) does not.
      throw err instanceof HttpProblem && err.status === 401 ? await authFailure(c, err) : err;
    }
    c.set("principal", { kind: "jwt", subject: payload.sub, claims: payload as Record<string, unknown> });
    await principalLimit(c, next);
  };
}

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notConfigured(what: string): never {
  throw unavailable(`Sign-in is not configured (${what}).`, 60);
}

/** Supabase: HS256 with SUPABASE_JWT_SECRET, or SUPABASE_JWKS_URL; aud "authenticated"; sub a uuid; SUPABASE_JWT_ISSUER optional. */
export function supabaseProfile(env: AppEnv): JwtProfile {
  const key: JwtKeySource = env.SUPABASE_JWKS_URL
    ? { jwksUrl: env.SUPABASE_JWKS_URL }
    : env.SUPABASE_JWT_SECRET
      ? { secret: env.SUPABASE_JWT_SECRET }
      : notConfigured("SUPABASE_JWT_SECRET or SUPABASE_JWKS_URL");
  return { key, audience: "authenticated", issuer: env.SUPABASE_JWT_ISSUER || undefined, subject: (s) => UUID.test(s) };
}

/** Clerk: RS256 with CLERK_JWT_KEY (PEM) or CLERK_JWKS_URL; azp in CLERK_AUTHORIZED_PARTIES; CLERK_ISSUER optional. */
export function clerkProfile(env: AppEnv): JwtProfile {
  const key: JwtKeySource = env.CLERK_JWT_KEY
    ? { publicKeyPem: env.CLERK_JWT_KEY, alg: "RS256" }
    : env.CLERK_JWKS_URL
      ? { jwksUrl: env.CLERK_JWKS_URL, algorithms: ["RS256"] }
      : notConfigured("CLERK_JWT_KEY or CLERK_JWKS_URL");
  return { key, issuer: env.CLERK_ISSUER || undefined, authorizedParties: list(env.CLERK_AUTHORIZED_PARTIES) };
}

export const supabaseAuth = () => jwtAuth(supabaseProfile);
export const clerkAuth = () => jwtAuth(clerkProfile);
