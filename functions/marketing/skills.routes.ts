import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { adminSecurity, adminAuth, userAuth, userSecurity } from "./auth";
import { pageSchema, SkillSchema } from "./shapes";
import { listSkillsQuerySchema, skillTypeSchema, slugSchema } from "./validation";

const tags = ["marketing"];
export const SkillNameParam = z.object({ name: slugSchema.openapi({ param: { name: "name", in: "path" }, example: "copywriting" }) });
const noSkill = problemResponse("No skill has this name");

export const ListSkillsQuery = listSkillsQuerySchema.extend({
  type: skillTypeSchema.optional(),
  sortDirection: z.enum(["asc", "desc"]).default("asc"),
});

export const listSkills = createRoute({
  operationId: "marketingListSkills",
  method: "get",
  path: "/skills",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The skill catalog, optionally of one type",
  description: "`q` matches the name or description (case-insensitive). Sorted by name ascending unless asked otherwise.",
  request: { query: ListSkillsQuery },
  responses: { 200: jsonContent(pageSchema(SkillSchema, "MarketingSkillPage"), "A page of skills"), ...problemResponses(400, 401) },
});

export const getSkill = createRoute({
  operationId: "marketingGetSkill",
  method: "get",
  path: "/skills/{name}",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "One skill by name",
  request: { params: SkillNameParam },
  responses: { 200: jsonContent(SkillSchema, "The skill"), ...problemResponses(400, 401), 404: noSkill },
});

export const UpsertSkillBody = z
  .object({
    description: z.string().trim().min(1).max(10_000),
    type: skillTypeSchema,
    s3Key: z.string().trim().min(1).max(500).openapi({ example: "skills/copywriting/" }),
    hasRules: z.boolean().optional(),
    hasSubdirectories: z.boolean().optional(),
    triggerKeywords: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
    relatedSkills: z.array(slugSchema).max(100).optional(),
  })
  .openapi("MarketingUpsertSkill");

export const upsertSkill = createRoute({
  operationId: "marketingUpsertSkill",
  method: "put",
  path: "/skills/{name}",
  tags,
  security: adminSecurity,
  middleware: adminAuth,
  summary: "Create or update a skill by name (admin)",
  description:
    "The seed's `onConflictDoUpdate` on `name`: every given field is written and `updatedAt` refreshed; a field left out keeps its stored value (or its default on creation).",
  request: { params: SkillNameParam, body: jsonBody(UpsertSkillBody) },
  responses: {
    200: jsonContent(SkillSchema, "Updated"),
    201: jsonContent(SkillSchema, "Created; `Location` names it"),
    ...problemResponses(400, 401, 403),
  },
});

export const MatchSkillsBody = z
  .object({
    message: z.string().trim().min(1).max(4000),
    limit: z.number().int().min(1).max(10).default(3),
  })
  .openapi("MarketingMatchSkills");

export const SkillMatchSchema = z
  .object({
    skill: SkillSchema,
    matchedKeywords: z.array(z.string()).openapi({ description: "Most specific first" }),
    specificity: z.number().int().openapi({ description: "Words in the longest matched keyword" }),
    related: z
      .array(z.object({ name: z.string(), description: z.string() }))
      .openapi({ description: "The skill's related skills that exist, in its order" }),
  })
  .openapi("MarketingSkillMatch");

export const matchSkills = createRoute({
  operationId: "marketingMatchSkills",
  method: "post",
  path: "/skills/match",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Rank skills for a user message by their trigger keywords",
  description:
    "Whole-word, case-insensitive phrase matches; the skill whose longest matched keyword has the most words comes first, then the most characters, then the most matches.",
  request: { body: jsonBody(MatchSkillsBody) },
  responses: {
    200: jsonContent(z.object({ items: z.array(SkillMatchSchema) }).openapi("MarketingSkillMatches"), "The best matches (possibly none)"),
    ...problemResponses(400, 401),
  },
});
