import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { adminSecurity, requireAdmin, userAuth, userSecurity } from "./auth";
import { ChannelSchema, UserSchema } from "./shapes";
import { channelSchema } from "./validation";

const tags = ["marketing"];

export const LinkChannelBody = z.object({
  channel: channelSchema,
  channelUserId: z.string().trim().min(1).max(255),
  channelUsername: z.string().trim().min(1).max(255).optional(),
}).openapi("MarketingLinkChannel");

export const linkChannel = createRoute({
  operationId: "marketingLinkChannel",
  method: "post", path: "/me/channels", tags, security: userSecurity, middleware: [userAuth, idempotent()] as const,
  summary: "Link a chat channel identity to the caller",
  request: { body: jsonBody(LinkChannelBody) },
  responses: {
    201: jsonContent(ChannelSchema, "Linked; `Location` names the link"),
    ...problemResponses(400, 401),
    409: problemResponse("This channel identity is already linked (to the caller or to someone else)"),
  },
});

export const getChannel = createRoute({
  operationId: "marketingGetChannel",
  method: "get", path: "/me/channels/{id}", tags, security: userSecurity, middleware: userAuth,
  summary: "One of the caller's channel links",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(ChannelSchema, "The link"), ...problemResponses(400, 401, 404) },
});

export const unlinkChannel = createRoute({
  operationId: "marketingUnlinkChannel",
  method: "delete", path: "/me/channels/{id}", tags, security: userSecurity, middleware: userAuth,
  summary: "Remove one of the caller's channel links",
  request: { params: uuidParams("id") },
  responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 404) },
});

export const ChannelLookupQuery = z.object({
  channel: channelSchema,
  channelUserId: z.string().trim().min(1).max(255),
});

export const lookupChannel = createRoute({
  operationId: "marketingLookupChannel",
  method: "get", path: "/channels/lookup", tags, security: adminSecurity, middleware: requireAdmin,
  summary: "Which user a channel identity belongs to (admin, for bots)",
  description: "Uses the seed's `user_channels_lookup_idx` (channel, channel_user_id).",
  request: { query: ChannelLookupQuery },
  responses: {
    200: jsonContent(z.object({ user: UserSchema, link: ChannelSchema }).openapi("MarketingChannelLookup"), "The linked user"),
    ...problemResponses(400, 401, 403),
    404: problemResponse("No user has linked this channel identity"),
  },
});
