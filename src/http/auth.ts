import type { MiddlewareHandler, Context, Next } from "hono";
import type { AppContext } from "./context";
import { forbidden, invalidToken, unauthorized, unavailable } from "../core/problem";
import { constantTimeEqual } from "../core/secrets";
import type { Principal } from "./principal";
import { authFailureBlocked, recordAuthFailure } from "./rate-limit";

export function bearerToken(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m?.[1] ?? null;
}

export interface RequireAdminOptions {
  /** authenticates callers that did not send the admin token (e.g. clerkAuth()); skipped when a principal is already set */
  // biome-ignore lint/suspicious/noExplicitAny: a module's user auth types its context with the principal it sets
  auth?: MiddlewareHandler<any>;
  /** the module's role check for an authenticated principal (e.g. user_profiles.is_admin); without it, none is an admin */
  isAdmin?: (c: Context<AppContext>, p: Principal) => Promise<boolean>;
}

export const ADMIN_PRINCIPAL: Principal = { kind: "admin", subject: "admin", claims: {} };

function adminMiddleware(opts: RequireAdminOptions): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const expected = c.env.ADMIN_TOKEN;
    const token = bearerToken(c.req.header("Authorization"));
    if (token && expected && constantTimeEqual(token, expected)) {
      c.set("principal", ADMIN_PRINCIPAL);
      return next();
    }
    if (!opts.isAdmin && !opts.auth) {
      // Only the shared token opens these routes: any other bearer is a refused credential (401), since there is
      // no user it could belong to. A module with users passes `auth`, so its users' valid credentials get 403.
      if (!expected) throw unavailable("Admin access is not configured (ADMIN_TOKEN).", 60);
      const blocked = authFailureBlocked(c);
      if (blocked) throw blocked;
      if (!token) throw unauthorized("This route needs the admin token as a bearer token.");
      throw await recordAuthFailure(c, invalidToken("The bearer token is not the admin token."));
    }
    const isAdmin = opts.isAdmin ?? (async () => false);
    const check = async () => {
      const p = c.get("principal");
      if (!p) throw unauthorized("This route needs an administrator's credentials.");
      if (p.kind !== "admin" && !(await isAdmin(c, p))) throw forbidden("This route is for administrators.");
    };
    if (c.get("principal") || !opts.auth) {
      await check();
      return next();
    }
    let passed = false;
    await opts.auth(c, async () => {
      await check();
      passed = true;
    });
    if (passed) await next();
  };
}

const defaultAdmin = adminMiddleware({});

/**
 * Admin routes: `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time; principal kind "admin"), or,
 * when the module configures it, an authenticated principal its `isAdmin` check accepts.
 * `requireAdmin(opts?)` builds the middleware; `requireAdmin` itself is also the plain ADMIN_TOKEN middleware,
 * so `middleware: requireAdmin` keeps working.
 */
export function requireAdmin(opts?: RequireAdminOptions): MiddlewareHandler<AppContext>;
export function requireAdmin(c: Context<AppContext>, next: Next): Promise<Response | void>;
export function requireAdmin(
  a?: RequireAdminOptions | Context<AppContext>,
  next?: Next,
): MiddlewareHandler<AppContext> | Promise<Response | void> {
  if (typeof next === "function") return defaultAdmin(a as Context<AppContext>, next);
  const opts = (a ?? {}) as RequireAdminOptions;
  return opts.auth || opts.isAdmin ? adminMiddleware(opts) : defaultAdmin;
}
