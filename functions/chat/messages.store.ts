/** Message reads and writes shared by the conversation routes and the streamed chat. */
import { and, asc, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { HttpProblem, problemTypes } from "../../src/core/problem";
import type { ChatDb } from "./db";
import { conversations, messages, type NewMessage } from "./schema";

export const ownConversation = (id: string, userId: string) => and(eq(conversations.id, id), eq(conversations.userId, userId));

/**
 * The statements of one append, for a caller's db.batch: the conversation's updatedAt is bumped and the
 * message inserted only if the conversation is the caller's (INSERT … SELECT), in the same transaction.
 */
export function appendQueries(db: ChatDb, userId: string, msg: Omit<NewMessage, "id" | "createdAt"> & { id?: string }) {
  const id = msg.id ?? crypto.randomUUID();
  return [
    db
      .update(conversations)
      .set({ updatedAt: sql`now()` })
      .where(ownConversation(msg.conversationId, userId))
      .returning({ id: conversations.id }),
    db
      .insert(messages)
      .select(
        db
          .select(selectRow(messages, { ...msg, id }))
          .from(conversations)
          .where(ownConversation(msg.conversationId, userId)),
      )
      .returning(),
  ] as const;
}

/** A cursor is the last message's exact created_at (microseconds, as Postgres prints it) and id. */
export function encodeCursor(createdAt: string, id: string): string {
  return btoa(`${createdAt}|${id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const CURSOR = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  let text = "";
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    /* falls through to the 400 */
  }
  const m = CURSOR.exec(text);
  if (!m)
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "The cursor is not valid.",
      errors: [{ path: "query.cursor", message: "not a cursor of this API" }],
    });
  return { createdAt: m[1]!, id: m[2]! };
}

/** One page after `cursor`, oldest first, with one extra row that tells whether a next page exists. */
export function messagePageQuery(
  db: ChatDb,
  userId: string,
  conversationId: string,
  limit: number,
  cursor?: { createdAt: string; id: string },
) {
  return db
    .select({ message: messages, at: sql<string>`${messages.createdAt}::text` })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        inArray(
          messages.conversationId,
          db.select({ id: conversations.id }).from(conversations).where(ownConversation(conversationId, userId)),
        ),
        cursor
          ? or(
              gt(messages.createdAt, sql`${cursor.createdAt}::timestamp`),
              and(eq(messages.createdAt, sql`${cursor.createdAt}::timestamp`), gt(messages.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(limit + 1);
}

/** The last `n` messages of a conversation, newest first (callers reverse them). */
export const recentMessagesQuery = (db: ChatDb, conversationId: string, n: number) =>
  db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(n);
