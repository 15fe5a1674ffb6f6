import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { UserSchema, UserWithKeySchema } from "./responses";
import { asAdmin, asAdminCreate, asUser } from "./route-kit";

export const CreateUserBody = z
  .object({
    email: z.email().max(255).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    keyName: z.string().trim().min(1).max(100).default("default").openapi({ description: "Name of the first API key" }),
  })
  .openapi("SchedulerCreateUser");

export const createUser = createRoute({
  ...asAdminCreate("CreateUser"),
  method: "post",
  path: "/users",
  summary: "Create a user and their first API key (admin)",
  description:
    "The full key is in this response only; the database keeps its prefix, a salt and the salted digest. One round trip (a batch of two inserts).",
  request: { body: jsonBody(CreateUserBody) },
  responses: {
    201: jsonContent(UserWithKeySchema, "The user and their key; `Location` names the user"),
    ...problemResponses(400, 401, 403),
    409: problemResponse("A user with this email exists"),
  },
});

export const deleteUser = createRoute({
  ...asAdmin("DeleteUser"),
  method: "delete",
  path: "/users/{id}",
  summary: "Delete a user and everything they own (admin)",
  description:
    "Jobs, endpoints, context, messages, tasks, usage, keys and sessions go with the user (ON DELETE CASCADE); cached key and session lookups are revoked at once.",
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "id", in: "path" } }),
    }),
  },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404) },
});

export const getMe = createRoute({
  ...asUser("GetMe"),
  method: "get",
  path: "/me",
  summary: "The calling user",
  responses: { 200: jsonContent(UserSchema, "The caller"), ...problemResponses(401, 404) },
});
