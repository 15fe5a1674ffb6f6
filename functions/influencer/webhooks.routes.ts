import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import type { AppContext } from "../../src/env";
import { unavailable } from "../../src/core/problem";
import { verifySvix } from "../../src/http/webhooks/svix";
import { influencerConfig } from "./config";

const tags = ["influencer"];

/** Svix's signature over the raw body (Clerk's webhooks), checked before the body is parsed. */
const svixSigned: MiddlewareHandler<AppContext> = async (c, next) => {
  const secret = influencerConfig(c.env).webhookSecret;
  if (!secret) throw unavailable("The Clerk webhook is not configured (CLERK_WEBHOOK_SECRET).", 60);
  await verifySvix(await c.req.text(), c.req.raw.headers, secret);
  await next();
};

export const ClerkEvent = z
  .object({
    type: z.string().min(1).openapi({ example: "user.created" }),
    data: z.looseObject({
      id: z.string().min(1).max(200).optional(),
      email_addresses: z.array(z.looseObject({ id: z.string(), email_address: z.string() })).optional(),
      primary_email_address_id: z.string().nullable().optional(),
      first_name: z.string().nullable().optional(),
      last_name: z.string().nullable().optional(),
      deleted: z.boolean().optional(),
    }),
  })
  .openapi("InfluencerClerkEvent");

export const clerkWebhook = createRoute({
  operationId: "influencerClerkWebhook",
  method: "post",
  path: "/webhooks/clerk",
  tags,
  security: [{ svixSignature: [] }],
  middleware: svixSigned,
  summary: "Clerk user events (Svix-signed)",
  description:
    "`user.created` and `user.updated` create or update the profile (e-mail, name); `user.deleted` deletes the profile and the user's campaigns, jobs, results and trial reminders. Other event types are acknowledged and ignored. A redelivery (same `svix-id`) is recorded in platform.processed_events with the effects, in one transaction, and answers `duplicate` without changing anything. Svix does not deliver in order: a `user.created`/`user.updated` that arrives after the user's `user.deleted` answers `skipped` and does not bring the profile back.",
  request: { body: jsonBody(ClerkEvent) },
  responses: {
    200: jsonContent(
      z.object({ type: z.string(), outcome: z.enum(["applied", "duplicate", "ignored", "skipped"]) }).openapi("InfluencerWebhookOutcome"),
      "Acknowledged",
    ),
    400: problemResponse("The signature does not hold (`/problems/invalid-signature`: nothing changed), or the signed body is invalid"),
    ...problemResponses(503),
  },
});
