import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { adminSecurity, adminAuth, userAuth, userSecurity } from "./auth";
import { ChannelSchema, UserSchema } from "./shapes";
import { LINK_CODE_PATTERN, LINK_CODE_TTL_SECONDS } from "./link-codes";
import { channelSchema } from "./validation";

const tags = ["marketing"];

export const CreateLinkCodeBody = z
  .object({
    channel: channelSchema,
    channelUserId: z.string().trim().min(1).max(255),
    channelUsername: z.string().trim().min(1).max(255).optional(),
  })
  .openapi("MarketingCreateLinkCode");

export const LinkCodeSchema = z
  .object({
    code: z.string().openapi({ example: "K7QX2MZP9A" }),
    expiresAt: z.iso.datetime(),
  })
  .openapi("MarketingLinkCode");

export const createLinkCode = createRoute({
  operationId: "marketingCreateLinkCode",
  method: "post",
  path: "/channels/link-codes",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "A one-time code proving a channel identity (admin, for bots)",
  description: `The bot asks for it while talking to the identity's holder in that channel and shows it only there; the user redeems it with POST /me/channels. Valid ${LINK_CODE_TTL_SECONDS / 60} minutes, once. Kept in Redis only (no Postgres round trip).`,
  request: { body: jsonBody(CreateLinkCodeBody) },
  responses: {
    201: jsonContent(LinkCodeSchema, "The code"),
    ...problemResponses(400, 401, 403),
    503: problemResponse("Redis is unavailable"),
  },
});

export const LinkChannelBody = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(LINK_CODE_PATTERN, "a link code from the bot")
      .openapi({ description: "The one-time code the bot showed in the channel" }),
  })
  .openapi("MarketingLinkChannel");

export const linkChannel = createRoute({
  operationId: "marketingLinkChannel",
  method: "post",
  path: "/me/channels",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Link the channel identity a bot's one-time code proves to the caller",
  description:
    "The identity is linked to the caller, moving it from whoever had it: only its holder could pass the code on. Whether anyone else had linked it is never revealed.",
  request: { body: jsonBody(LinkChannelBody) },
  responses: {
    201: jsonContent(ChannelSchema, "Linked; `Location` names the link"),
    ...problemResponses(400, 401),
    422: problemResponse("The code is unknown, used or expired"),
    503: problemResponse("Redis is unavailable"),
  },
});

export const getChannel = createRoute({
  operationId: "marketingGetChannel",
  method: "get",
  path: "/me/channels/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's channel links",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(ChannelSchema, "The link"), ...problemResponses(400, 401, 404) },
});

export const unlinkChannel = createRoute({
  operationId: "marketingUnlinkChannel",
  method: "delete",
  path: "/me/channels/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
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
  method: "get",
  path: "/channels/lookup",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "Which user a channel identity belongs to (admin, for bots)",
  description: "Uses the seed's `user_channels_lookup_idx` (channel, channel_user_id).",
  request: { query: ChannelLookupQuery },
  responses: {
    200: jsonContent(z.object({ user: UserSchema, link: ChannelSchema }).openapi("MarketingChannelLookup"), "The linked user"),
    ...problemResponses(400, 401, 403),
    404: problemResponse("No user has linked this channel identity"),
  },
});
