import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { ClientSchema, pageSchema } from "./shapes";
import { insertClientSchema, listClientsQuerySchema, patchClientSchema, slugSchema } from "./validation";

const tags = ["marketing"];
const slugClash = problemResponse("The caller already has a client with this slug");

const CreateClientBody = insertClientSchema
  .pick({ name: true, description: true })
  .extend({
    slug: slugSchema.optional().openapi({ description: "Derived from `name` when absent" }),
  })
  .openapi("MarketingCreateClient");

const PatchClientBody = patchClientSchema
  .pick({ name: true, description: true })
  .extend({
    slug: slugSchema
      .optional()
      .openapi({ description: "Changing it moves `s3Prefix` to `clients/<userId>/<slug>/`; renaming alone keeps the slug" }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field" })
  .openapi("MarketingPatchClient");

export const createClient = createRoute({
  operationId: "marketingCreateClient",
  method: "post",
  path: "/clients",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Create a client of the caller",
  request: { body: jsonBody(CreateClientBody) },
  responses: { 201: jsonContent(ClientSchema, "Created; `Location` names it"), ...problemResponses(400, 401), 409: slugClash },
});

export const listClients = createRoute({
  operationId: "marketingListClients",
  method: "get",
  path: "/clients",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's clients",
  description: "`q` matches name or slug (case-insensitive).",
  request: { query: listClientsQuerySchema },
  responses: { 200: jsonContent(pageSchema(ClientSchema, "MarketingClientPage"), "A page of clients"), ...problemResponses(400, 401) },
});

export const getClient = createRoute({
  operationId: "marketingGetClient",
  method: "get",
  path: "/clients/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's clients",
  request: { params: uuidParams("id") },
  responses: { 200: jsonContent(ClientSchema, "The client"), ...problemResponses(400, 401, 404) },
});

export const patchClient = createRoute({
  operationId: "marketingPatchClient",
  method: "patch",
  path: "/clients/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Change some fields of one of the caller's clients",
  request: { params: uuidParams("id"), body: jsonBody(PatchClientBody) },
  responses: { 200: jsonContent(ClientSchema, "The updated client"), ...problemResponses(400, 401, 404), 409: slugClash },
});

export const deleteClient = createRoute({
  operationId: "marketingDeleteClient",
  method: "delete",
  path: "/clients/{id}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Delete one of the caller's clients",
  request: { params: uuidParams("id") },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(400, 401, 404),
    409: problemResponse("Runs still refer to this client"),
  },
});

export const getClientBySlug = createRoute({
  operationId: "marketingGetClientBySlug",
  method: "get",
  path: "/clients/by-slug/{slug}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One of the caller's clients, by slug",
  description: "The unique (user_id, slug) index.",
  request: { params: z.object({ slug: slugSchema }) },
  responses: { 200: jsonContent(ClientSchema, "The client"), ...problemResponses(400, 401, 404) },
});
