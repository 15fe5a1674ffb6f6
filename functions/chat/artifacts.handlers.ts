import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, exists, ilike, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { containsPattern } from "../../src/db/like";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import type * as routes from "./artifacts.routes";
import { callerOf, ensureUser } from "./auth";
import { type ChatDb, chatDb } from "./db";
import { artifactJson } from "./responses";
import { artifacts, conversations, messages } from "./schema";

const mine = (id: string, userId: string) => and(eq(artifacts.id, id), eq(artifacts.userId, userId));
const noArtifact = () => notFound("No such artifact.");
const badMessage = () =>
  new HttpProblem({
    status: 422,
    type: problemTypes.invalidReference,
    detail: "No message of yours has this id.",
    errors: [{ path: "body.messageId", message: "references nothing of yours" }],
  });

/** True when `messageId` is a message in one of the caller's conversations. */
const ownMessage = (db: ChatDb, messageId: string, userId: string) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.id, messageId), eq(conversations.userId, userId))),
  );

export const createArtifact: RouteHandler<typeof routes.createArtifact> = async (c) => {
  const caller = callerOf(c);
  const body = c.req.valid("json");
  const db = chatDb(c.env);
  const [, [row]] = await db.batch([
    ensureUser(db, caller),
    db
      .insert(artifacts)
      .select(
        db
          .select(selectRow(artifacts, { id: crypto.randomUUID(), userId: caller.id, ...body }))
          .from(sql`(SELECT 1) AS one`)
          .where(body.messageId ? ownMessage(db, body.messageId, caller.id) : undefined),
      )
      .returning(),
  ]);
  if (!row) throw badMessage();
  c.header("Location", `/v1/chat/artifacts/${row.id}`);
  return c.json(artifactJson(row), 201);
};

const sortColumns = { createdAt: artifacts.createdAt, updatedAt: artifacts.updatedAt, title: artifacts.title };

export const listArtifacts: RouteHandler<typeof routes.listArtifacts> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(artifacts)
    .where(
      and(
        eq(artifacts.userId, callerOf(c).id),
        q.type ? eq(artifacts.type, q.type) : undefined,
        q.messageId ? eq(artifacts.messageId, q.messageId) : undefined,
        q.q ? ilike(artifacts.title, containsPattern(q.q)) : undefined,
      ),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(artifacts.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(artifactJson) }, 200);
};

export const getArtifact: RouteHandler<typeof routes.getArtifact> = async (c) => {
  const [row] = await chatDb(c.env)
    .select()
    .from(artifacts)
    .where(mine(c.req.valid("param").id, callerOf(c).id));
  if (!row) throw noArtifact();
  return c.json(artifactJson(row), 200);
};

export const patchArtifact: RouteHandler<typeof routes.patchArtifact> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const userId = callerOf(c).id;
  const db = chatDb(c.env);
  // The update applies only when the new message link (if any) is the caller's; the second statement tells 404 from 422.
  const [updated, existing] = await db.batch([
    db
      .update(artifacts)
      .set(body)
      .where(and(mine(id, userId), body.messageId ? ownMessage(db, body.messageId, userId) : undefined))
      .returning(),
    db.select({ id: artifacts.id }).from(artifacts).where(mine(id, userId)),
  ]);
  if (updated[0]) return c.json(artifactJson(updated[0]), 200);
  if (!existing[0]) throw noArtifact();
  throw badMessage();
};

export const deleteArtifact: RouteHandler<typeof routes.deleteArtifact> = async (c) => {
  const gone = await chatDb(c.env)
    .delete(artifacts)
    .where(mine(c.req.valid("param").id, callerOf(c).id))
    .returning({ id: artifacts.id });
  if (gone.length === 0) throw noArtifact();
  return c.body(null, 204);
};
