/**
 * A user's plan: their subscription while it is active, else the free plan (CHAT_FREE_AGENT_LIMIT agents,
 * default 3). GET /me is cached in Redis under meCacheKey; whatever changes a plan deletes that key.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Cache } from "../../src/cache/client";
import type { ChatConfig } from "./config";
import { type Subscription, subscriptions } from "./schema";

export const meCacheKey = (userId: string) => `chat:me:v1:${userId}`;

export async function forgetPlans(cache: Cache, userIds: string[]) {
  if (userIds.length) await cache.del(...userIds.map(meCacheKey));
}

export function planOf(sub: Subscription | undefined, cfg: ChatConfig) {
  const active = sub?.isActive === true;
  return {
    plan: active ? sub.plan : ("free" as const),
    status: sub?.status ?? null,
    isActive: active,
    agentLimit: active ? sub.agentLimit : cfg.planLimits.free,
    currentPeriodEnd: sub?.stripeCurrentPeriodEnd?.toISOString() ?? null,
  };
}

/** The caller's agent limit as SQL, for the conditional insert of an agent instance. */
export const agentLimitSql = (userId: string, cfg: ChatConfig) =>
  sql`coalesce((SELECT ${subscriptions.agentLimit} FROM ${subscriptions} WHERE ${and(eq(subscriptions.userId, userId), eq(subscriptions.isActive, true))}), ${cfg.planLimits.free})`;
