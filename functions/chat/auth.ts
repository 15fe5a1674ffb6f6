/**
 * Who may call: a Supabase session JWT (`sub` = users.id), rate-limited per user; for tool administration the
 * admin token or a Supabase user whose `app_metadata.role` is "admin" (set server-side, never by the user).
 * The users row is created on first sight from the token's claims, inside the first write that needs it.
 */
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import { unauthorized } from "../../src/core/problem";
import type { AppContext } from "../../src/env";
import { requireAdmin } from "../../src/http/auth";
import { supabaseAuth } from "../../src/http/jwt-auth";
import { rateLimit } from "../../src/http/rate-limit";
import { chatConfig } from "./config";
import type { ChatDb } from "./db";
import { users } from "./schema";

const supabase = supabaseAuth();

/** The Supabase session token (jwtAuth applies the platform's per-principal rate limit itself). */
export const userAuth: MiddlewareHandler<AppContext> = supabase;

/** Routes that spend model tokens: CHAT_LLM_RATE_LIMIT per minute per user, after authentication. */
export const llmLimit: MiddlewareHandler<AppContext> = (c, next) =>
  rateLimit({ name: "chat:llm", limit: chatConfig(c.env).llmRateLimit, window: "1 m", key: "principal" })(c, next);
export const adminAuth = requireAdmin({
  auth: userAuth,
  isAdmin: async (_c, p) => (p.claims.app_metadata as { role?: unknown } | undefined)?.role === "admin",
});
export const userSecurity = [{ apiKey: [] }];
/** The admin token, or a Supabase session of an admin (app_metadata.role "admin") — both are accepted by adminAuth. */
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }, { apiKey: [] }];

/**
 * Phone and anonymous Supabase users have no email, but users.email is NOT NULL UNIQUE (seed 002): they get
 * `<id>@no-email.invalid` (RFC 2606 reserves `.invalid`, so it is unique and never deliverable); the API shows
 * `email: null` for it.
 */
export const NO_EMAIL_DOMAIN = "no-email.invalid";
export const placeholderEmail = (id: string) => `${id}@${NO_EMAIL_DOMAIN}`;
export const publicEmail = (email: string) => (email.endsWith(`@${NO_EMAIL_DOMAIN}`) ? null : email);

export interface Caller {
  id: string;
  email: string;
  name: string | null;
  avatarUrl: string | null;
}

const claimsSchema = z.object({
  sub: z.uuid(),
  email: z.string().trim().max(320).optional().catch(undefined),
  user_metadata: z
    .object({
      name: z.string().trim().min(1).max(200).optional().catch(undefined),
      full_name: z.string().trim().min(1).max(200).optional().catch(undefined),
      avatar_url: z.url().max(2000).optional().catch(undefined),
    })
    .partial()
    .optional()
    .catch(undefined),
});

/** The caller as the token describes them; 401 when the token names no user id. */
export function callerOf(c: Context<AppContext>): Caller {
  const p = c.var.principal;
  const parsed = claimsSchema.safeParse({ ...p?.claims, sub: p?.subject });
  if (!parsed.success) throw unauthorized("The token's subject is not a user id.");
  const { sub, email, user_metadata: meta } = parsed.data;
  return {
    id: sub,
    email: email ? email.toLowerCase() : placeholderEmail(sub),
    name: meta?.name ?? meta?.full_name ?? null,
    avatarUrl: meta?.avatar_url ?? null,
  };
}

/** Creates the caller's row if it does not exist yet: the first statement of a write's batch. */
export const ensureUser = (db: ChatDb, u: Caller) =>
  db.insert(users).values({ id: u.id, email: u.email, name: u.name, avatarUrl: u.avatarUrl }).onConflictDoNothing({ target: users.id });
