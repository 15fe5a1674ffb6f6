import type { AppRouteHandler } from "../../src/http/router";
import { and, eq } from "drizzle-orm";
import { conflictOnDuplicate } from "../../src/http/conflicts";
import { location } from "../../src/http/location";
import { conflict, notFound } from "../../src/core/problem";
import type * as routes from "./channels.routes";
import { marketingDb } from "./db";
import { userChannels } from "./schema";
import { channelJson, userJson } from "./shapes";

export const linkChannel: AppRouteHandler<typeof routes.linkChannel> = async (c) => {
  const body = c.req.valid("json");
  const [link] = await conflictOnDuplicate(
    marketingDb(c.env).insert(userChannels).values({ ...body, userId: c.var.principal.subject }).returning(),
    () => conflict("This channel identity is already linked.", [{ path: "body.channelUserId", message: "already linked" }]),
  );
  c.header("Location", location(c, `/me/channels/${link!.id}`));
  return c.json(channelJson(link!), 201);
};

const mine = (id: string, userId: string) => and(eq(userChannels.id, id), eq(userChannels.userId, userId));

export const getChannel: AppRouteHandler<typeof routes.getChannel> = async (c) => {
  const [link] = await marketingDb(c.env).select().from(userChannels).where(mine(c.req.valid("param").id, c.var.principal.subject));
  if (!link) throw notFound("No such channel link.");
  return c.json(channelJson(link), 200);
};

export const unlinkChannel: AppRouteHandler<typeof routes.unlinkChannel> = async (c) => {
  const gone = await marketingDb(c.env).delete(userChannels)
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
