import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";

export const StripeReceiptSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(["applied", "ignored", "skipped", "duplicate"]).openapi({
      description:
        "`ignored`: not a subscription event; `skipped`: no user matches it, or it is about an inactive subscription other than the user's current one (not worth a retry); `duplicate`: this event id was applied before, nothing changed",
    }),
  })
  .openapi("ChatStripeReceipt");

export const stripeWebhook = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  operationId: "chatStripeWebhook",
  tags: ["chat"],
  security: [],
  summary: "Stripe events (signed with the Stripe-Signature header)",
  description: [
    "Applies `customer.subscription.created|updated|deleted` to the user's subscription: plan, status, isActive, period end, agentLimit.",
    "The user is `metadata.userId` of the subscription (set at checkout), else the one already holding this subscription or customer.",
    "Plan: `metadata.plan`, the price's `metadata.plan`, CHAT_STRIPE_PRICE_PLANS or the price's `lookup_key`, else `pro`; agentLimit: `metadata.agentLimit`, else the plan's default.",
    "Each event id is applied once (platform.processed_events); an event of another, inactive subscription never replaces the current one.",
  ].join(" "),
  request: { headers: z.object({ "stripe-signature": z.string().optional() }) },
  responses: {
    200: jsonContent(StripeReceiptSchema, "Received"),
    ...problemResponses(400, 413),
    503: problemResponse("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)"),
  },
});
