/**
 * TEMPORARY stand-ins for platform pieces that are being built on other branches (issue 10a/10b, see
 * PLATFORM_API.md): same names and signatures, minimal bodies. Deleted at merge; nothing else in the repo
 * may import this file except functions/influencer/.
 */
import { Receiver } from "@upstash/qstash";
import type { Context, MiddlewareHandler } from "hono";
import { createRemoteJWKSet, type JWTPayload, importSPKI, jwtVerify } from "jose";
import { Webhook } from "svix";
import type { SweepContext, SweepResult } from "../../src/cron/types";
import type { AppContext, AppEnv } from "../../src/env";
import { bearerToken } from "../../src/http/auth";
import { forbidden, HttpProblem, problemTypes, unauthorized, unavailable } from "../../src/http/problem";
import { constantTimeEqual } from "../../src/http/secrets";

export interface Principal { kind: "apiKey" | "jwt" | "session" | "admin"; subject: string; claims: Record<string, unknown> }

type ClerkEnv = AppEnv & { CLERK_JWT_KEY?: string; CLERK_JWKS_URL?: string; CLERK_AUTHORIZED_PARTIES?: string; CLERK_ISSUER?: string };

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** Clerk session JWTs: RS256 against CLERK_JWT_KEY (PEM) or CLERK_JWKS_URL; `azp` must be in CLERK_AUTHORIZED_PARTIES when set. */
export const clerkAuth = (): MiddlewareHandler<AppContext> => async (c, next) => {
  const env = c.env as ClerkEnv;
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw unauthorized("This route needs a Clerk session token as a bearer token.");
  let payload: JWTPayload;
  try {
    const opts = { algorithms: ["RS256"], issuer: env.CLERK_ISSUER || undefined, clockTolerance: 5 };
    if (env.CLERK_JWT_KEY) {
      payload = (await jwtVerify(token, await importSPKI(env.CLERK_JWT_KEY.replace(/\\n/g, "\n"), "RS256"), opts)).payload;
    } else if (env.CLERK_JWKS_URL) {
      let jwks = jwksCache.get(env.CLERK_JWKS_URL);
      if (!jwks) jwksCache.set(env.CLERK_JWKS_URL, (jwks = createRemoteJWKSet(new URL(env.CLERK_JWKS_URL), { timeoutDuration: 3000 })));
      payload = (await jwtVerify(token, jwks, opts)).payload;
    } else {
      throw unavailable("Clerk is not configured (CLERK_JWT_KEY or CLERK_JWKS_URL).", 60);
    }
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    throw unauthorized("The session token is not valid.");
  }
  const parties = (env.CLERK_AUTHORIZED_PARTIES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (parties.length && typeof payload.azp === "string" && !parties.includes(payload.azp)) throw unauthorized("The session token was issued for another party.");
  if (!payload.sub) throw unauthorized("The session token names no user.");
  c.set("principal" as never, { kind: "jwt", subject: payload.sub, claims: payload } satisfies Principal as never);
  await next();
};

/** Passes for `Bearer ADMIN_TOKEN`, or for an authenticated principal (set by an earlier middleware) whose isAdmin() is true. */
export function requireAdmin(opts: { isAdmin?: (c: Context<AppContext>, p: Principal) => Promise<boolean> } = {}): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const p = c.get("principal" as never) as Principal | undefined;
    if (p?.kind === "admin") return next();
    if (!p) throw unauthorized("This route needs the admin token or an admin's session token.");
    if (!opts.isAdmin || !(await opts.isAdmin(c, p))) throw forbidden("Only admins may do this.");
    await next();
  };
}

/** Sets principal {kind:"admin"} for `Bearer ADMIN_TOKEN`; otherwise hands over to `other`. */
export const adminTokenOr = (other: MiddlewareHandler<AppContext>): MiddlewareHandler<AppContext> => async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  if (token && c.env.ADMIN_TOKEN && constantTimeEqual(token, c.env.ADMIN_TOKEN)) {
    c.set("principal" as never, { kind: "admin", subject: "admin", claims: {} } satisfies Principal as never);
    return next();
  }
  return other(c, next);
};

const badSignature = (what: string) => new HttpProblem({ status: 401, type: problemTypes.unauthorized, detail: `The ${what} signature is not valid.` });

export async function verifyQstash(rawBody: string, signature: string | null, opts: { currentKey: string; nextKey: string; url: string }): Promise<void> {
  if (!signature) throw badSignature("QStash");
  try {
    await new Receiver({ currentSigningKey: opts.currentKey, nextSigningKey: opts.nextKey }).verify({ signature, body: rawBody, url: opts.url });
  } catch {
    throw badSignature("QStash");
  }
}

export async function verifySvix(rawBody: string, headers: Headers, secret: string): Promise<unknown> {
  try {
    return new Webhook(secret).verify(rawBody, {
      "svix-id": headers.get("svix-id") ?? "",
      "svix-timestamp": headers.get("svix-timestamp") ?? "",
      "svix-signature": headers.get("svix-signature") ?? "",
    });
  } catch {
    throw badSignature("Svix");
  }
}

/** The batched sweep loop (moving from functions/blog/sweeps.ts to src/cron/): repeat until a short batch or the deadline. */
export async function inBatches(ctx: SweepContext, size: number, batch: () => Promise<number>): Promise<SweepResult> {
  let rows = 0;
  let batches = 0;
  for (;;) {
    const n = await batch();
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: { batches, batchSize: size } };
  }
}
