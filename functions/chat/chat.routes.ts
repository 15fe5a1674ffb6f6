import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { llmLimit, userAuth, userSecurity } from "./auth";

export const ChatTurnBody = z
  .object({
    content: z.string().trim().min(1).max(100_000),
    attachments: z.array(z.unknown()).max(100).optional(),
  })
  .openapi("ChatTurn");

export const chatTurn = createRoute({
  method: "post",
  path: "/conversations/{id}/chat",
  operationId: "chatChatTurn",
  tags: ["chat"],
  security: userSecurity,
  middleware: [userAuth, llmLimit] as const,
  summary: "Send a message and stream the model's reply (server-sent events)",
  description: [
    "Stores the caller's message, calls the chat-completions API with the conversation's system prompt and recent history",
    "(CHAT_HISTORY_MESSAGES) and streams the reply as SSE: `event: reasoning` and `event: delta` (`{ text }`), then",
    "`event: done` (`{ messageId, content }`) once the assistant message is stored, or `event: error`. The reply is",
    "stored when the model's stream ends even if the caller has gone. `X-Message-Id` names the assistant message to come.",
    "When the model API fails before streaming (502/503), the caller's message stays stored.",
  ].join(" "),
  "x-round-trips": {
    warm: 2,
    cold: 2,
    reason:
      "one batch before the model call (store the user message, read the history); one insert of the streamed reply after the stream ends, off the response's critical path",
  },
  request: { params: uuidParams("id"), body: jsonBody(ChatTurnBody) },
  responses: {
    200: { description: "The reply as server-sent events", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(400, 401, 404, 429),
    502: problemResponse("The model API answered something unusable"),
    503: problemResponse("The model API is not configured, unavailable or too slow; retry after `Retry-After`"),
  },
});
