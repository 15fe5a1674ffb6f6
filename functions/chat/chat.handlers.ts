/**
 * A streamed chat turn. The model's stream is read by a task of its own (ctx.waitUntil), which forwards each
 * delta to the caller without waiting on them and, when the stream ends, stores the assistant message: a
 * caller who disconnects stops receiving, not the reply being stored.
 */
import type { RouteHandler } from "@hono/zod-openapi";
import { errorFields, type Logger } from "../../src/core/logger";
import { notFound } from "../../src/core/problem";
import { UpstreamError, upstreamProblem } from "../../src/core/upstream";
import { callerOf } from "./auth";
import type * as routes from "./chat.routes";
import { chatConfig } from "./config";
import { type ChatDb, chatDb } from "./db";
import { deltas, type LlmMessage, openStream, requireApiKey } from "./llm";
import { appendQueries, ownConversation, recentMessagesQuery } from "./messages.store";
import { conversations } from "./schema";

const sse = (event: string, data: unknown) => new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

interface Turn {
  db: ChatDb;
  userId: string;
  conversationId: string;
  messageId: string;
  logger: Logger;
}

async function relay(stream: ReadableStream<Uint8Array>, out: WritableStreamDefaultWriter<Uint8Array>, turn: Turn, abort: AbortController) {
  let content = "";
  let reasoning = "";
  let failure: string | undefined;
  let clientGone = false;
  // Never awaited: a slow or vanished caller must not hold up reading the model's stream.
  const send = (chunk: Uint8Array) => {
    if (!clientGone)
      out.write(chunk).catch(() => {
        clientGone = true;
      });
  };
  try {
    for await (const d of deltas(stream)) {
      if (d.reasoning) {
        reasoning += d.reasoning;
        send(sse("reasoning", { text: d.reasoning }));
      }
      if (d.content) {
        content += d.content;
        send(sse("delta", { text: d.content }));
      }
    }
  } catch (err) {
    failure = err instanceof UpstreamError ? err.message : "the model's stream broke off";
    turn.logger.warn("chat stream ended early", { conversationId: turn.conversationId, ...errorFields(err), stack: undefined });
  } finally {
    abort.abort();
  }
  try {
    if (content || reasoning) {
      const parts = [
        ...(reasoning ? [{ type: "reasoning", text: reasoning }] : []),
        { type: "text", text: content },
        ...(failure ? [{ type: "error", message: failure }] : []),
      ];
      await turn.db.batch(
        appendQueries(turn.db, turn.userId, {
          id: turn.messageId,
          conversationId: turn.conversationId,
          role: "assistant",
          content,
          parts,
          reasoning: reasoning || null,
        }),
      );
    }
    send(
      failure
        ? sse("error", { message: failure, messageId: content || reasoning ? turn.messageId : null })
        : sse("done", { messageId: turn.messageId, content }),
    );
  } catch (err) {
    turn.logger.error("could not store the assistant message", { conversationId: turn.conversationId, ...errorFields(err) });
    send(sse("error", { message: "the reply could not be stored" }));
  }
  if (!clientGone) await out.close().catch(() => {});
}

export const chatTurn: RouteHandler<typeof routes.chatTurn> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const userId = callerOf(c).id;
  const cfg = chatConfig(c.env);
  requireApiKey(cfg);
  const db = chatDb(c.env);
  const [, [stored], [conv], history] = await db.batch([
    ...appendQueries(db, userId, { conversationId: id, role: "user", content: body.content, attachments: body.attachments }),
    db
      .select({ systemPrompt: conversations.systemPrompt, metadata: conversations.metadata })
      .from(conversations)
      .where(ownConversation(id, userId)),
    recentMessagesQuery(db, id, cfg.historyMessages),
  ]);
  if (!stored || !conv) throw notFound("No such conversation.");
  const messages: LlmMessage[] = [
    ...(conv.systemPrompt ? [{ role: "system" as const, content: conv.systemPrompt }] : []),
    ...history.reverse().map((m) => ({ role: m.role, content: m.content })),
  ];
  const model = typeof conv.metadata?.model === "string" && conv.metadata.model ? conv.metadata.model : cfg.llmModel;
  // Two deadlines: a prompt 503 when the model does not start answering, and one for the whole stream.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), cfg.llmTimeoutMs);
  const connect = setTimeout(() => abort.abort(), cfg.llmConnectTimeoutMs);
  let upstream: ReadableStream<Uint8Array>;
  try {
    upstream = await openStream(cfg, model, messages, abort.signal);
  } catch (err) {
    clearTimeout(timer);
    if (err instanceof UpstreamError) {
      const late = err.failure.kind === "timeout" ? new UpstreamError(err.upstream, { kind: "timeout", ms: cfg.llmConnectTimeoutMs }) : err;
      throw upstreamProblem(late);
    }
    throw err;
  } finally {
    clearTimeout(connect);
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const turn: Turn = { db, userId, conversationId: id, messageId: crypto.randomUUID(), logger: c.get("logger") };
  c.executionCtx.waitUntil(relay(upstream, writable.getWriter(), turn, abort).finally(() => clearTimeout(timer)));
  return c.body(readable, 200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    "X-Message-Id": turn.messageId,
  });
};
