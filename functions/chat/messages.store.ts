/** Message reads and writes shared by the conversation routes and the streamed chat. */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { afterCursor, type KeysetCursor } from "../../src/http/pagination";
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

/** One page after `cursor`, oldest first, with one extra row that tells whether a next page exists. */
export function messagePageQuery(db: ChatDb, userId: string, conversationId: string, limit: number, cursor?: KeysetCursor) {
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
        afterCursor(cursor, messages.createdAt, messages.id, "asc"),
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
