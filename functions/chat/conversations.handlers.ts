import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, inArray } from "drizzle-orm";
import { containsPattern } from "../../src/db/like";
import { cursorPageOf, decodeCursor, pageOf, pageWindow, UUID_ID } from "../../src/http/pagination";
import { notFound } from "../../src/core/problem";
import { callerOf, ensureUser } from "./auth";
import type * as routes from "./conversations.routes";
import { chatDb } from "./db";
import { appendQueries, messagePageQuery, ownConversation } from "./messages.store";
import { conversationJson, messageJson } from "./responses";
import { artifacts, conversations, messages } from "./schema";

/** Messages GET /conversations/{id} embeds (the most recent, oldest first). */
export const EMBEDDED_MESSAGES = 200;
const noConversation = () => notFound("No such conversation.");

export const createConversation: RouteHandler<typeof routes.createConversation> = async (c) => {
  const caller = callerOf(c);
  const body = c.req.valid("json");
  const db = chatDb(c.env);
  const [, [row]] = await db.batch([
    ensureUser(db, caller),
    db
      .insert(conversations)
      .values({ userId: caller.id, title: body.title, systemPrompt: body.systemPrompt, metadata: body.metadata })
      .returning(),
  ]);
  c.header("Location", `/v1/chat/conversations/${row!.id}`);
  return c.json(conversationJson(row!), 201);
};

const sortColumns = { updatedAt: conversations.updatedAt, createdAt: conversations.createdAt, title: conversations.title };

export const listConversations: RouteHandler<typeof routes.listConversations> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(conversations)
    .where(and(eq(conversations.userId, callerOf(c).id), q.q ? ilike(conversations.title, containsPattern(q.q)) : undefined))
    .orderBy(dir(sortColumns[q.sortBy]), dir(conversations.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(conversationJson) }, 200);
};

export const getConversation: RouteHandler<typeof routes.getConversation> = async (c) => {
  const conv = await chatDb(c.env).query.conversations.findFirst({
    where: ownConversation(c.req.valid("param").id, callerOf(c).id),
    with: { messages: { orderBy: [desc(messages.createdAt), desc(messages.id)], limit: EMBEDDED_MESSAGES + 1 } },
  });
  if (!conv) throw noConversation();
  const recent = conv.messages.slice(0, EMBEDDED_MESSAGES).reverse();
  return c.json(
    { ...conversationJson(conv), messages: recent.map(messageJson), hasEarlierMessages: conv.messages.length > EMBEDDED_MESSAGES },
    200,
  );
};

export const patchConversation: RouteHandler<typeof routes.patchConversation> = async (c) => {
  const body = c.req.valid("json");
  const [row] = await chatDb(c.env)
    .update(conversations)
    .set({ title: body.title, systemPrompt: body.systemPrompt, metadata: body.metadata })
    .where(ownConversation(c.req.valid("param").id, callerOf(c).id))
    .returning();
  if (!row) throw noConversation();
  return c.json(conversationJson(row), 200);
};

export const deleteConversation: RouteHandler<typeof routes.deleteConversation> = async (c) => {
  const { id } = c.req.valid("param");
  const db = chatDb(c.env);
  const mine = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(ownConversation(id, callerOf(c).id));
  const itsMessages = db.select({ id: messages.id }).from(messages).where(inArray(messages.conversationId, mine));
  // The seed's foreign keys are NO ACTION: artifact links first, then the messages, then the conversation.
  const [, , gone] = await db.batch([
    db.update(artifacts).set({ messageId: null }).where(inArray(artifacts.messageId, itsMessages)),
    db.delete(messages).where(inArray(messages.conversationId, mine)),
    db
      .delete(conversations)
      .where(ownConversation(id, callerOf(c).id))
      .returning({ id: conversations.id }),
  ]);
  if (gone.length === 0) throw noConversation();
  return c.body(null, 204);
};

export const appendMessage: RouteHandler<typeof routes.appendMessage> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = chatDb(c.env);
  const [, [row]] = await db.batch(appendQueries(db, callerOf(c).id, { conversationId: id, ...body }));
  if (!row) throw noConversation();
  c.header("Location", `/v1/chat/conversations/${id}/messages`);
  return c.json(messageJson(row), 201);
};

export const listMessages: RouteHandler<typeof routes.listMessages> = async (c) => {
  const { id } = c.req.valid("param");
  const { cursor, limit } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, UUID_ID) : undefined;
  const db = chatDb(c.env);
  const [conv, rows] = await db.batch([
    db
      .select({ id: conversations.id })
      .from(conversations)
      .where(ownConversation(id, callerOf(c).id)),
    messagePageQuery(db, callerOf(c).id, id, limit, after),
  ]);
  if (!conv[0]) throw noConversation();
  return c.json(
    cursorPageOf(
      rows,
      limit,
      (r) => r.message.id,
      (r) => messageJson(r.message),
    ),
    200,
  );
};
