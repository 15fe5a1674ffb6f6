import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { ConversationSchema, ConversationWithMessagesSchema, MessagePageSchema, MessageSchema, pageSchema } from "./responses";
import { listConversationsQuerySchema, messageRoleSchema } from "./validation";

const tags = ["chat"];
const jsonObject = z.record(z.string(), z.unknown());

export const CreateConversationBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    systemPrompt: z.string().max(20_000).optional(),
    metadata: jsonObject.optional(),
  })
  .openapi("ChatCreateConversation");

export const PatchConversationBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    systemPrompt: z.string().max(20_000).nullable().optional(),
    metadata: jsonObject.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("ChatPatchConversation");

export const AppendMessageBody = z
  .object({
    role: messageRoleSchema,
    content: z.string().max(100_000),
    parts: z.array(z.unknown()).max(1000).optional(),
    attachments: z.array(z.unknown()).max(100).optional(),
    reasoning: z.string().max(100_000).optional(),
  })
  .openapi("ChatAppendMessage");

export const ListMessagesQuery = z.object({
  cursor: z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const id = uuidParams("id");

export const createConversation = createRoute({
  method: "post",
  path: "/conversations",
  operationId: "chatCreateConversation",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Start a conversation",
  request: { body: jsonBody(CreateConversationBody) },
  responses: { 201: jsonContent(ConversationSchema, "Created; `Location` names it"), ...problemResponses(400, 401, 409) },
});

export const listConversations = createRoute({
  method: "get",
  path: "/conversations",
  operationId: "chatListConversations",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's conversations, most recently updated first",
  description: "`q` searches the title (case-insensitive).",
  request: { query: listConversationsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(ConversationSchema, "ChatConversationPage"), "A page of conversations"),
    ...problemResponses(400, 401),
  },
});

export const getConversation = createRoute({
  method: "get",
  path: "/conversations/{id}",
  operationId: "chatGetConversation",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "A conversation with its messages in ascending createdAt",
  description: "At most the 200 most recent messages; `hasEarlierMessages` says when GET …/messages has older ones.",
  request: { params: id },
  responses: { 200: jsonContent(ConversationWithMessagesSchema, "The conversation"), ...problemResponses(400, 401, 404) },
});

export const patchConversation = createRoute({
  method: "patch",
  path: "/conversations/{id}",
  operationId: "chatPatchConversation",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Rename a conversation or change its system prompt or metadata",
  request: { params: id, body: jsonBody(PatchConversationBody) },
  responses: { 200: jsonContent(ConversationSchema, "The updated conversation"), ...problemResponses(400, 401, 404) },
});

export const deleteConversation = createRoute({
  method: "delete",
  path: "/conversations/{id}",
  operationId: "chatDeleteConversation",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete a conversation with its messages",
  description: "Artifacts tied to its messages are kept and lose the link (messageId becomes null). One transaction.",
  request: { params: id },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});

export const appendMessage = createRoute({
  method: "post",
  path: "/conversations/{id}/messages",
  operationId: "chatAppendMessage",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Append a message (bumps the conversation's updatedAt)",
  request: { params: id, body: jsonBody(AppendMessageBody) },
  responses: { 201: jsonContent(MessageSchema, "The stored message"), ...problemResponses(400, 401, 404) },
});

export const listMessages = createRoute({
  method: "get",
  path: "/conversations/{id}/messages",
  operationId: "chatListMessages",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "A conversation's messages, oldest first, by cursor",
  description: "Keyset pagination on (createdAt, id): pages neither skip nor repeat messages while new ones arrive.",
  request: { params: id, query: ListMessagesQuery },
  responses: {
    200: jsonContent(MessagePageSchema, "A page of messages"),
    ...problemResponses(401, 404),
    400: problemResponse("Invalid input, or a cursor this API did not issue"),
  },
});
