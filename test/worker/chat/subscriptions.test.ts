/** Stripe subscriptions: signed webhooks (accept, reject, replay), the plan they set, and the lapse sweep. */
import { describe, expect, it } from "vitest";
import { redisCommand } from "../helpers";
import { call, expectJson, newUser, postStripe, sql, stripeSignature, subscriptionEvent, type TestUser } from "./helpers";

const periodEnd = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;
const subRow = async (userId: string) =>
  (
    await sql<any>(
      "SELECT plan, status, is_active, agent_limit, stripe_subscription_id, stripe_customer_id, stripe_price_id, extract(epoch from stripe_current_period_end)::int AS period_end FROM chat.subscriptions WHERE user_id = $1",
      [userId],
    )
  )[0];

function stripeSub(u: TestUser, extra: Record<string, unknown> = {}) {
  return {
    id: `sub_${crypto.randomUUID().slice(0, 10)}`,
    customer: `cus_${u.id.slice(0, 8)}`,
    status: "active",
    current_period_end: periodEnd(30),
    metadata: { userId: u.id, plan: "pro" },
    items: { data: [{ price: { id: "price_pro_monthly", lookup_key: null, metadata: {} } }] },
    ...extra,
  };
}

async function signedUpUser() {
  const u = await newUser();
  await expectJson(await call(u, "GET", "/me"), 200);
  return u;
}

describe("stripe webhook", () => {
  it("applies customer.subscription.created: plan, status, isActive, period end, agentLimit; GET /me shows it at once", async () => {
    const u = await signedUpUser();
    expect((await expectJson(await call(u, "GET", "/me"), 200)).plan.plan).toBe("free"); // now cached
    const sub = stripeSub(u, { metadata: { userId: u.id, plan: "pro", agentLimit: "7" } });
    const res = await postStripe(subscriptionEvent("customer.subscription.created", sub));
    expect(await expectJson(res, 200)).toEqual({ received: true, outcome: "applied" });
    const row = await subRow(u.id);
    expect(row).toMatchObject({
      plan: "pro",
      status: "active",
      is_active: true,
      agent_limit: 7,
      stripe_subscription_id: sub.id,
      stripe_customer_id: sub.customer,
      stripe_price_id: "price_pro_monthly",
    });
    expect(row.period_end).toBe(sub.current_period_end);
    const me = await call(u, "GET", "/me");
    expect(me.headers.get("X-Cache")).toBe("origin");
    expect((await expectJson(me, 200)).plan).toMatchObject({ plan: "pro", status: "active", isActive: true, agentLimit: 7 });
  });

  it("updated and deleted move the same row; the plan's default limit applies without metadata", async () => {
    const u = await signedUpUser();
    const sub = stripeSub(u);
    await expectJson(await postStripe(subscriptionEvent("customer.subscription.created", sub)), 200);
    expect((await subRow(u.id)).agent_limit).toBe(10);
    await expectJson(
      await postStripe(
        subscriptionEvent("customer.subscription.updated", { ...sub, status: "past_due", metadata: { userId: u.id, plan: "enterprise" } }),
      ),
      200,
    );
    expect(await subRow(u.id)).toMatchObject({ plan: "enterprise", status: "past_due", is_active: false, agent_limit: 100 });
    await expectJson(
      await postStripe(subscriptionEvent("customer.subscription.updated", { ...sub, status: "trialing", metadata: {} })),
      200,
    );
    expect(await subRow(u.id)).toMatchObject({ status: "trialing", is_active: true }); // found by subscription id without metadata
    await expectJson(await postStripe(subscriptionEvent("customer.subscription.deleted", { ...sub, status: "canceled" })), 200);
    expect(await subRow(u.id)).toMatchObject({ status: "canceled", is_active: false });
    expect(await sql("SELECT count(*)::int AS n FROM chat.subscriptions WHERE user_id = $1", [u.id])).toEqual([{ n: 1 }]);
    expect((await expectJson(await call(u, "GET", "/me"), 200)).plan).toMatchObject({ plan: "free", agentLimit: 3, status: "canceled" });
  });

  it("an event older than the one applied changes nothing: a late `updated: active` cannot undo a `deleted`", async () => {
    const u = await signedUpUser();
    const sub = stripeSub(u);
    const at = (secondsAgo: number) => ({ created: Math.floor(Date.now() / 1000) - secondsAgo });
    await expectJson(await postStripe({ ...subscriptionEvent("customer.subscription.created", sub), ...at(300) }), 200);
    await expectJson(
      await postStripe({ ...subscriptionEvent("customer.subscription.deleted", { ...sub, status: "canceled" }), ...at(60) }),
      200,
    );
    const late = await postStripe({ ...subscriptionEvent("customer.subscription.updated", { ...sub, status: "active" }), ...at(120) });
    expect(await expectJson(late, 200)).toEqual({ received: true, outcome: "skipped" });
    expect(await subRow(u.id)).toMatchObject({ status: "canceled", is_active: false });
    const newer = await postStripe({ ...subscriptionEvent("customer.subscription.updated", { ...sub, status: "active" }), ...at(0) });
    expect(await expectJson(newer, 200)).toEqual({ received: true, outcome: "applied" });
    expect(await subRow(u.id)).toMatchObject({ status: "active", is_active: true });
  });

  it("a replayed event id is a duplicate and changes nothing, even when its content differs", async () => {
    const u = await signedUpUser();
    const sub = stripeSub(u);
    const event = subscriptionEvent("customer.subscription.created", sub);
    await expectJson(await postStripe(event), 200);
    const before = await subRow(u.id);
    expect(await expectJson(await postStripe(event), 200)).toEqual({ received: true, outcome: "duplicate" });
    const tampered = { ...event, data: { object: { ...event.data.object, status: "unpaid" } } };
    expect(await expectJson(await postStripe(tampered), 200)).toEqual({ received: true, outcome: "duplicate" });
    expect(await subRow(u.id)).toEqual(before);
    expect(await sql("SELECT 1 FROM platform.processed_events WHERE source = 'stripe' AND event_id = $1", [event.id])).toHaveLength(1);
    expect(await sql("SELECT count(*)::int AS n FROM chat.subscriptions WHERE user_id = $1", [u.id])).toEqual([{ n: 1 }]);
  });

  it("a late event of an old, inactive subscription does not replace the current one", async () => {
    const u = await signedUpUser();
    const old = stripeSub(u);
    const current = stripeSub(u);
    await expectJson(await postStripe(subscriptionEvent("customer.subscription.created", current)), 200);
    await expectJson(await postStripe(subscriptionEvent("customer.subscription.deleted", { ...old, status: "canceled" })), 200);
    expect(await subRow(u.id)).toMatchObject({ stripe_subscription_id: current.id, is_active: true });
  });

  it("rejects unsigned, wrongly signed, stale and tampered events with 400, changing nothing", async () => {
    const u = await signedUpUser();
    const event = subscriptionEvent("customer.subscription.created", stripeSub(u));
    const body = JSON.stringify(event);
    const tries = [
      await postStripe(event, async () => null),
      await postStripe(event, (b) => stripeSignature(b, "whsec_wrong_secret")),
      await postStripe(event, (b) => stripeSignature(b, undefined, Math.floor(Date.now() / 1000) - 3600)),
      await postStripe(
        { ...event, data: { object: { ...event.data.object, status: "active", metadata: { userId: u.id, plan: "enterprise" } } } },
        async () => stripeSignature(body),
      ),
      await postStripe(event, async () => "t=abc,v1=zz"),
    ];
    for (const res of tries) {
      expect(res.status).toBe(400);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
    expect(await subRow(u.id)).toBeUndefined();
  });

  it("ignores other event types and events for unknown users (200, nothing stored)", async () => {
    const ghost = crypto.randomUUID();
    expect(await expectJson(await postStripe({ id: "evt_x", type: "invoice.paid", data: { object: {} } }), 200)).toEqual({
      received: true,
      outcome: "ignored",
    });
    const res = await postStripe(
      subscriptionEvent("customer.subscription.created", {
        id: "sub_ghost",
        customer: "cus_ghost",
        status: "active",
        metadata: { userId: ghost },
      }),
    );
    expect(await expectJson(res, 200)).toEqual({ received: true, outcome: "skipped" });
    expect(await sql("SELECT 1 FROM chat.subscriptions WHERE stripe_subscription_id = 'sub_ghost'")).toHaveLength(0);
    const bad = await postStripe(
      subscriptionEvent("customer.subscription.created", { id: "sub_bad", customer: "cus_bad", status: "weird" }),
    );
    expect(bad.status).toBe(400);
  });

  it("raises the agent limit: the instance cap follows the subscription", async () => {
    const u = await signedUpUser();
    const d = await expectJson(await call(u, "POST", "/agent-definitions", { name: "n", description: "d", systemPrompt: "p" }), 201);
    await expectJson(
      await postStripe(
        subscriptionEvent("customer.subscription.created", stripeSub(u, { metadata: { userId: u.id, plan: "pro", agentLimit: "4" } })),
      ),
      200,
    );
    for (let i = 0; i < 4; i++) await expectJson(await call(u, "POST", "/agent-instances", { definitionId: d.id, name: `a${i}` }), 201);
    const res = await call(u, "POST", "/agent-instances", { definitionId: d.id, name: "a5" });
    expect(res.status).toBe(403);
    expect((await res.json<any>()).agentLimit).toBe(4);
    expect(await redisCommand("EXISTS", `chat:me:v1:${u.id}`)).toBe(0);
  });
});
