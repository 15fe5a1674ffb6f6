import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { listQuerySchema } from "../../src/http/pagination";
import { userAuth, userSecurity } from "./auth";
import { ArtifactSchema, pageSchema } from "./responses";
import { artifactTypeSchema } from "./validation";

const tags = ["chat"];
const jsonObject = z.record(z.string(), z.unknown());
const badMessage = problemResponse("`messageId` is not one of the caller's messages");

export const CreateArtifactBody = z
  .object({
    type: artifactTypeSchema,
    title: z.string().trim().min(1).max(200),
    content: z.string().max(500_000).optional(),
    metadata: jsonObject.optional(),
    messageId: z.uuid().optional().openapi({ description: "One of the caller's messages" }),
  })
  .openapi("ChatCreateArtifact");

export const PatchArtifactBody = z
  .object({
    type: artifactTypeSchema.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    content: z.string().max(500_000).nullable().optional(),
    metadata: jsonObject.nullable().optional(),
    messageId: z.uuid().nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("ChatPatchArtifact");

export const ListArtifactsQuery = listQuerySchema(["createdAt", "updatedAt", "title"]).extend({
  type: artifactTypeSchema.optional(),
  messageId: z.uuid().optional(),
});

const id = uuidParams("id");

export const createArtifact = createRoute({
  method: "post",
  path: "/artifacts",
  operationId: "chatCreateArtifact",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Create an artifact, optionally tied to one of the caller's messages",
  request: { body: jsonBody(CreateArtifactBody) },
  responses: { 201: jsonContent(ArtifactSchema, "Created; `Location` names it"), ...problemResponses(400, 401, 409), 422: badMessage },
});

export const listArtifacts = createRoute({
  method: "get",
  path: "/artifacts",
  operationId: "chatListArtifacts",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's artifacts",
  description: "Filter by `type` or `messageId`; `q` searches the title.",
  request: { query: ListArtifactsQuery },
  responses: { 200: jsonContent(pageSchema(ArtifactSchema, "ChatArtifactPage"), "A page of artifacts"), ...problemResponses(400, 401) },
});

export const getArtifact = createRoute({
  method: "get",
  path: "/artifacts/{id}",
  operationId: "chatGetArtifact",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's artifacts",
  request: { params: id },
  responses: { 200: jsonContent(ArtifactSchema, "The artifact"), ...problemResponses(400, 401, 404) },
});

export const patchArtifact = createRoute({
  method: "patch",
  path: "/artifacts/{id}",
  operationId: "chatPatchArtifact",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Change an artifact",
  request: { params: id, body: jsonBody(PatchArtifactBody) },
  responses: { 200: jsonContent(ArtifactSchema, "The updated artifact"), ...problemResponses(400, 401, 404), 422: badMessage },
});

export const deleteArtifact = createRoute({
  method: "delete",
  path: "/artifacts/{id}",
  operationId: "chatDeleteArtifact",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete an artifact",
  request: { params: id },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});
