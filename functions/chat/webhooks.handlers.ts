import type { RouteHandler } from "@hono/zod-openapi";
import { eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import { createCache } from "../../src/cache/client";
import type { AppContext } from "../../src/env";
import { selectRow } from "../../src/db/insert-select";
import { HttpProblem, problemTypes, unavailable } from "../../src/core/problem";
import { onceOnlyWithResults } from "../../src/db/processed-events";
import { verifyStripe } from "../../src/http/webhooks/stripe";
import { type ChatConfig, chatConfig } from "./config";
import { chatDb } from "./db";
import { forgetPlans } from "./plan";
import { type NewSubscription, type SubscriptionPlan, subscriptionPlans, subscriptions, users } from "./schema";
import { subscriptionStatusSchema } from "./validation";
import type * as routes from "./webhooks.routes";

const SUBSCRIPTION_EVENTS = new Set(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"]);

const meta = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});
const price = z.object({ id: z.string(), lookup_key: z.string().nullish(), metadata: meta.optional() });
const subscriptionSchema = z.object({
  id: z.string().min(1),
  customer: z.union([z.string(), z.object({ id: z.string() })]).transform((c) => (typeof c === "string" ? c : c.id)),
  status: subscriptionStatusSchema,
  current_period_end: z.number().int().nullish(),
  metadata: meta,
  items: z.object({ data: z.array(z.object({ price: price.nullish(), current_period_end: z.number().int().nullish() })) }).optional(),
});
type StripeSubscription = z.infer<typeof subscriptionSchema>;

const isPlan = (v: unknown): v is SubscriptionPlan => typeof v === "string" && (subscriptionPlans as readonly string[]).includes(v);
const limitOf = (v: string | undefined) => (v !== undefined && /^\d{1,6}$/.test(v) ? Number(v) : undefined);

function toFields(s: StripeSubscription, deleted: boolean, cfg: ChatConfig) {
  const item = s.items?.data[0];
  const p = item?.price ?? undefined;
  const mapped = p ? cfg.pricePlans.get(p.id) : undefined;
  const plan = [s.metadata.plan, p?.metadata?.plan, mapped, p?.lookup_key].find(isPlan) ?? "pro";
  const periodEnd = s.current_period_end ?? item?.current_period_end ?? null;
  const status = deleted ? "canceled" : s.status;
  return {
    stripeCustomerId: s.customer,
    stripeSubscriptionId: s.id,
    stripePriceId: p?.id ?? null,
    stripeCurrentPeriodEnd: periodEnd === null ? null : new Date(periodEnd * 1000),
    plan,
    status,
    isActive: status === "active" || status === "trialing",
    agentLimit: limitOf(s.metadata.agentLimit) ?? limitOf(p?.metadata?.agentLimit) ?? cfg.planLimits[plan],
  } satisfies Omit<NewSubscription, "userId">;
}

export const stripeWebhook: RouteHandler<typeof routes.stripeWebhook, AppContext> = async (c) => {
  const cfg = chatConfig(c.env);
  if (!cfg.stripeSecrets.length) throw unavailable("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).", 60);
  const event = await verifyStripe(await c.req.text(), c.req.header("Stripe-Signature") ?? null, cfg.stripeSecrets);
  if (!SUBSCRIPTION_EVENTS.has(event.type)) return c.json({ received: true as const, outcome: "ignored" as const }, 200);
  const parsed = subscriptionSchema.safeParse(event.data?.object);
  if (!parsed.success) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "The event's subscription object is not usable.",
      errors: parsed.error.issues.map((i) => ({ path: `data.object.${i.path.join(".")}`, message: i.message })),
    });
  }
  const s = parsed.data;
  const fields = {
    ...toFields(s, event.type === "customer.subscription.deleted", cfg),
    stripeEventAt: typeof event.created === "number" ? new Date(event.created * 1000) : null,
  };
  const userId = z.uuid().safeParse(s.metadata.userId ?? s.metadata.user_id).data ?? null;
  const db = chatDb(c.env);
  const known = db
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(or(eq(subscriptions.stripeSubscriptionId, s.id), eq(subscriptions.stripeCustomerId, s.customer)))
    .orderBy(sql`${subscriptions.stripeSubscriptionId} = ${s.id} DESC`)
    .limit(1);
  // One round trip (onceOnly: the event's row, then the upsert, in one transaction; a replayed event id changes
  // nothing). The row is written only for an existing user; an event of another subscription replaces the
  // user's current one only when it is active (a late `deleted` of an old subscription changes nothing), and an
  // event created before the one the row reflects changes nothing (Stripe delivers out of order).
  const upsert = db
    .insert(subscriptions)
    .select(
      db
        .select(selectRow(subscriptions, { id: crypto.randomUUID(), ...fields, userId: users.id }))
        .from(users)
        .where(eq(users.id, sql`coalesce(${userId}::uuid, (${known}))`)),
    )
    .onConflictDoUpdate({
      target: subscriptions.userId,
      set: {
        stripeCustomerId: sql`excluded.stripe_customer_id`,
        stripeSubscriptionId: sql`excluded.stripe_subscription_id`,
        stripePriceId: sql`excluded.stripe_price_id`,
        stripeCurrentPeriodEnd: sql`excluded.stripe_current_period_end`,
        plan: sql`excluded.plan`,
        status: sql`excluded.status`,
        isActive: sql`excluded.is_active`,
        agentLimit: sql`excluded.agent_limit`,
        stripeEventAt: sql`excluded.stripe_event_at`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`(${subscriptions.stripeSubscriptionId} IS NULL OR ${subscriptions.stripeSubscriptionId} = excluded.stripe_subscription_id OR excluded.is_active)
        AND (${subscriptions.stripeEventAt} IS NULL OR excluded.stripe_event_at IS NULL OR excluded.stripe_event_at >= ${subscriptions.stripeEventAt})`,
    })
    .returning({ userId: subscriptions.userId });
  const once = await onceOnlyWithResults(db, "stripe", event.id, [upsert] as const);
  if (once.outcome === "duplicate") return c.json({ received: true as const, outcome: "duplicate" as const }, 200);
  const rows = once.results[0];
  if (rows[0]) await forgetPlans(createCache(c.env, c.get("logger")), [rows[0].userId]);
  else
    c.get("logger").info("stripe event skipped: no matching user, or an inactive subscription other than the current one", {
      eventId: event.id,
      subscription: s.id,
    });
  return c.json({ received: true as const, outcome: rows[0] ? ("applied" as const) : ("skipped" as const) }, 200);
};
