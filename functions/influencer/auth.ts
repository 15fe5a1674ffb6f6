/**
 * Who may call: users with a Clerk session JWT (`sub` = the Clerk user id, `user_2…`), admins with the admin
 * token or with the session JWT of a user who is an admin (user_profiles.is_admin, or listed in
 * INFLUENCER_ADMIN_USER_IDS). The is_admin flag is cached in Redis for a minute and dropped on promote/demote.
 */
import type { Context, MiddlewareHandler } from "hono";
import { eq } from "drizzle-orm";
import type { Cache } from "../../src/cache/client";
import type { AppContext } from "../../src/env";
import { unauthorized } from "../../src/core/problem";
import { requireAdmin } from "../../src/http/auth";
import { clerkAuth } from "../../src/http/jwt-auth";
import { firstRead, requestCache } from "../../src/http/prefetch";
import type { Principal } from "../../src/http/principal";
import { influencerConfig } from "./config";
import { influencerDb } from "./db";
import { userProfiles } from "./schema";

export const userSecurity = [{ apiKey: [] }];
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }, { apiKey: [] }];

export const adminFlagKey = (userId: string) => `influencer:is-admin:${userId}`;
const ADMIN_FLAG_TTL_SECONDS = 60;

export async function isAdmin(c: Context<AppContext>, p: Principal): Promise<boolean> {
  if (p.kind !== "jwt") return false;
  if (influencerConfig(c.env).adminIds.has(p.subject)) return true;
  const cache = requestCache(c);
  const cached = await cache.get<{ admin: boolean }>(adminFlagKey(p.subject));
  if (cached) return cached.admin;
  const [row] = await influencerDb(c.env)
    .select({ isAdmin: userProfiles.isAdmin })
    .from(userProfiles)
    .where(eq(userProfiles.userId, p.subject))
    .limit(1);
  const admin = row?.isAdmin === true;
  await cache.set(adminFlagKey(p.subject), { admin }, { ttlSeconds: ADMIN_FLAG_TTL_SECONDS });
  return admin;
}

export const forgetAdminFlag = (cache: Cache, userId: string) => cache.del(adminFlagKey(userId));

const clerk = clerkAuth();
/** A Clerk session JWT (jwtAuth applies the per-principal rate limit itself). */
export const userAuth: MiddlewareHandler<AppContext> = clerk;
const requireInfluencerAdmin = requireAdmin({ auth: clerk, isAdmin });
/** The cached is_admin flag travels with the principal's rate limit (one Redis round trip for a JWT admin). */
const adminFlagRead = firstRead((c) => (c.var.principal?.kind === "jwt" ? adminFlagKey(c.var.principal.subject) : null));
/** The admin token, or the session JWT of an admin (is_admin or INFLUENCER_ADMIN_USER_IDS). */
export const adminAuth: MiddlewareHandler<AppContext> = (c, next) =>
  adminFlagRead(c, async () => {
    await requireInfluencerAdmin(c, next);
  });

/** The authenticated caller's Clerk user id. */
export function userIdOf(c: Context<AppContext>): string {
  const p = c.get("principal");
  if (!p) throw unauthorized();
  return p.subject;
}
