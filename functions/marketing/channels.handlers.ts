import type { AppRouteHandler } from "../../src/http/router";
import { and, eq, sql } from "drizzle-orm";
import { location } from "../../src/http/location";
import { HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { issueLinkCode, redeemLinkCode } from "./link-codes";
import type * as routes from "./channels.routes";
import { marketingDb } from "./db";
import { userChannels } from "./schema";
import { channelJson, userJson } from "./shapes";

export const createLinkCode: AppRouteHandler<typeof routes.createLinkCode> = async (c) =>
  c.json(await issueLinkCode(c.env, c.req.valid("json"), c.get("logger")), 201);

export const linkChannel: AppRouteHandler<typeof routes.linkChannel> = async (c) => {
  const identity = await redeemLinkCode(c.env, c.req.valid("json").code, c.get("logger"));
  if (!identity) {
    throw new HttpProblem({
      status: 422,
      type: problemTypes.validation,
      detail: "This link code is unknown, used or expired: ask the bot for a new one.",
      errors: [{ path: "body.code", message: "unknown, used or expired" }],
    });
  }
  // The code proves the caller holds the identity: it moves to the caller, whoever had linked it before.
  const [link] = await marketingDb(c.env)
    .insert(userChannels)
    .values({
      channel: identity.channel,
      channelUserId: identity.channelUserId,
      channelUsername: identity.channelUsername ?? null,
      userId: c.var.principal.subject,
    })
    .onConflictDoUpdate({
      target: [userChannels.channel, userChannels.channelUserId],
      set: { userId: c.var.principal.subject, channelUsername: identity.channelUsername ?? null, linkedAt: sql`now()` },
    })
    .returning();
  c.header("Location", location(c, `/me/channels/${link!.id}`));
  return c.json(channelJson(link!), 201);
};

const mine = (id: string, userId: string) => and(eq(userChannels.id, id), eq(userChannels.userId, userId));

export const getChannel: AppRouteHandler<typeof routes.getChannel> = async (c) => {
  const [link] = await marketingDb(c.env)
    .select()
    .from(userChannels)
    .where(mine(c.req.valid("param").id, c.var.principal.subject));
  if (!link) throw notFound("No such channel link.");
  return c.json(channelJson(link), 200);
};

export const unlinkChannel: AppRouteHandler<typeof routes.unlinkChannel> = async (c) => {
  const gone = await marketingDb(c.env)
    .delete(userChannels)
    .where(mine(c.req.valid("param").id, c.var.principal.subject))
    .returning({ id: userChannels.id });
  if (gone.length === 0) throw notFound("No such channel link.");
  return c.body(null, 204);
};

export const lookupChannel: AppRouteHandler<typeof routes.lookupChannel> = async (c) => {
  const { channel, channelUserId } = c.req.valid("query");
  const link = await marketingDb(c.env).query.userChannels.findFirst({
    where: and(eq(userChannels.channel, channel), eq(userChannels.channelUserId, channelUserId)),
    with: { user: true },
  });
  if (!link) throw notFound("No user has linked this channel identity.");
  const { user, ...row } = link;
  return c.json({ user: userJson(user), link: channelJson(row) }, 200);
};
