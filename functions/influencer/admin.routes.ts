import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { adminAuth, adminSecurity } from "./auth";
import { configRead } from "./system-config";
import { AdminSchema, ConfigSchema, ProfileSchema } from "./responses";
import { CONFIG_VALUE_TYPES, HOT_RELOADABLE_VALUES, SUBSCRIPTION_STATUSES } from "./schema";

const tags = ["influencer"];
const admin = { tags, security: adminSecurity, middleware: adminAuth };
const adminCold = {
  "jwt-admin-cold": 2,
  reason:
    "an admin who calls with a session JWT has the is_admin flag read from Postgres first when Redis does not hold it (cached for 60 s)",
};

export const ConfigParams = z.object({
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/, "lower-case letters, digits and _")
    .openapi({ param: { name: "category", in: "path" }, example: "api" }),
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,99}$/, "lower-case letters, digits and _")
    .openapi({ param: { name: "key", in: "path" }, example: "max_api_calls_testing" }),
});

export const listConfig = createRoute({
  operationId: "influencerListConfig",
  method: "get",
  path: "/admin/config",
  ...admin,
  middleware: [configRead, adminAuth] as const,
  summary: "All system configurations (admin)",
  description: "Served from the Redis hot cache when it holds them (`X-Config-Source: redis`), else from Postgres.",
  "x-round-trips": adminCold,
  responses: {
    200: jsonContent(z.object({ items: z.array(ConfigSchema) }).openapi("InfluencerConfigList"), "Every row, by category and key"),
    ...problemResponses(401, 403, 503),
  },
});

export const getConfig = createRoute({
  operationId: "influencerGetConfig",
  method: "get",
  path: "/admin/config/{category}/{key}",
  ...admin,
  middleware: [configRead, adminAuth] as const,
  summary: "One system configuration (admin)",
  "x-round-trips": adminCold,
  request: { params: ConfigParams },
  responses: { 200: jsonContent(ConfigSchema, "The row"), ...problemResponses(400, 401, 403, 404, 503) },
});

export const PutConfigBody = z
  .object({
    value: z.string().max(10_000),
    valueType: z.enum(CONFIG_VALUE_TYPES),
    description: z.string().max(1000).nullable().optional(),
    isHotReloadable: z.enum(HOT_RELOADABLE_VALUES).optional(),
  })
  .openapi("InfluencerPutConfig");

export const putConfig = createRoute({
  operationId: "influencerPutConfig",
  method: "put",
  path: "/admin/config/{category}/{key}",
  ...admin,
  middleware: [configRead, adminAuth] as const,
  summary: "Create or change a system configuration (admin); takes effect on the next request",
  description:
    "`value` must parse as `valueType` (number, boolean `true`/`false`, duration such as `2 days`, JSON, string), else 400. The write drops the Redis copy, so every isolate reads the new value on its next request (hot reload, no redeploy).",
  "x-round-trips": adminCold,
  request: { params: ConfigParams, body: jsonBody(PutConfigBody) },
  responses: {
    200: jsonContent(ConfigSchema, "Updated"),
    201: jsonContent(ConfigSchema, "Created"),
    ...problemResponses(400, 401, 403, 503),
  },
});

export const deleteConfig = createRoute({
  operationId: "influencerDeleteConfig",
  method: "delete",
  path: "/admin/config/{category}/{key}",
  ...admin,
  middleware: [configRead, adminAuth] as const,
  summary: "Remove a system configuration (admin); the built-in default applies again",
  "x-round-trips": adminCold,
  request: { params: ConfigParams },
  responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404, 503) },
});

export const UserIdParam = z.object({
  userId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .openapi({ param: { name: "userId", in: "path" }, example: "user_2abc" }),
});

export const listAdmins = createRoute({
  operationId: "influencerListAdmins",
  method: "get",
  path: "/admin/admins",
  ...admin,
  summary: "Admins: profiles with is_admin, and the ids configured in INFLUENCER_ADMIN_USER_IDS (admin)",
  "x-round-trips": adminCold,
  responses: {
    200: jsonContent(
      z.object({ items: z.array(AdminSchema), configured: z.array(z.string()) }).openapi("InfluencerAdminList"),
      "The admins",
    ),
    ...problemResponses(401, 403, 503),
  },
});

export const promoteAdmin = createRoute({
  operationId: "influencerPromoteAdmin",
  method: "put",
  path: "/admin/admins/{userId}",
  ...admin,
  summary: "Make a user an admin (admin)",
  "x-round-trips": adminCold,
  request: { params: UserIdParam },
  responses: { 200: jsonContent(AdminSchema, "The admin"), ...problemResponses(400, 401, 403, 404, 503) },
});

export const demoteAdmin = createRoute({
  operationId: "influencerDemoteAdmin",
  method: "delete",
  path: "/admin/admins/{userId}",
  ...admin,
  summary: "Take admin rights away (admin); never from the last admin",
  description:
    "Demotions are serialised (a transaction-scoped advisory lock), so two at once cannot leave no admin. Demoting a user who is not an admin changes nothing.",
  "x-round-trips": adminCold,
  request: { params: UserIdParam },
  responses: {
    200: jsonContent(AdminSchema, "The user, no longer an admin"),
    ...problemResponses(400, 401, 403, 404, 503),
    409: problemResponse("The user is the last admin"),
  },
});

export const SubscriptionBody = z
  .object({
    subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES),
    stripeCustomerId: z.string().trim().min(1).max(255).nullable().optional(),
    stripeSubscriptionId: z.string().trim().min(1).max(255).nullable().optional(),
  })
  .openapi("InfluencerSubscriptionChange");

export const setSubscription = createRoute({
  operationId: "influencerSetSubscription",
  method: "patch",
  path: "/admin/users/{userId}/subscription",
  ...admin,
  summary: "Change a user's subscription status (admin / billing)",
  description: "`active` converts an active or expired trial (`converted`); `canceled` cancels an active trial.",
  "x-round-trips": adminCold,
  request: { params: UserIdParam, body: jsonBody(SubscriptionBody) },
  responses: { 200: jsonContent(ProfileSchema, "The profile"), ...problemResponses(400, 401, 403, 404, 503) },
});
