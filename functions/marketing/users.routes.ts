import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { adminSecurity, adminAuth, userAuth, userSecurity } from "./auth";
import { IssuedKeySchema, UserWithChannelsSchema } from "./shapes";
import { insertUserSchema } from "./validation";

const tags = ["marketing"];

const CreateUserBody = insertUserSchema.pick({ email: true }).openapi("MarketingCreateUser");

export const createUser = createRoute({
  operationId: "marketingCreateUser",
  method: "post",
  path: "/users",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "Create a user and issue their API key (admin)",
  description: "The full key is in this response only; the database keeps its public part and a digest of the secret.",
  request: { body: jsonBody(CreateUserBody) },
  responses: {
    201: jsonContent(IssuedKeySchema, "The user and their key; `Location` names the user"),
    ...problemResponses(400, 401, 403),
    409: problemResponse("A user with this email exists"),
  },
});

export const getUser = createRoute({
  operationId: "marketingGetUser",
  method: "get",
  path: "/users/{id}",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "A user with their linked channels (admin)",
  request: { params: uuidParams("id") },
  responses: {
    200: jsonContent(UserWithChannelsSchema, "The user"),
    ...problemResponses(400, 401, 403, 404),
  },
});

export const getMe = createRoute({
  operationId: "marketingGetMe",
  method: "get",
  path: "/me",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The calling user with their linked channels",
  responses: {
    200: jsonContent(UserWithChannelsSchema, "The caller"),
    ...problemResponses(401),
  },
});

export const rotateKey = createRoute({
  operationId: "marketingRotateKey",
  method: "post",
  path: "/me/api-key/rotate",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Replace the caller's API key",
  description: "Issues a new key and revokes the one used for this call at once (its cached lookup included).",
  responses: {
    200: jsonContent(IssuedKeySchema, "The new key, shown once"),
    ...problemResponses(401),
    409: problemResponse("The key used for this call was rotated by a concurrent request"),
  },
});

export const getUserByEmail = createRoute({
  operationId: "marketingGetUserByEmail",
  method: "get",
  path: "/users/by-email",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "A user by e-mail address, with their linked channels (admin)",
  description: "The seed's `users_email_idx`. The address is matched as stored.",
  request: { query: z.object({ email: z.email().max(255) }) },
  responses: {
    200: jsonContent(UserWithChannelsSchema, "The user"),
    ...problemResponses(400, 401, 403, 404),
  },
});
