import { createRoute, z } from "@hono/zod-openapi";
import { idempotent } from "../../src/http/idempotency";
import { jsonBody, jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { listQuerySchema } from "../../src/http/pagination";
import { FeedbackSchema, pageSchema } from "./shapes";
import { SkillNameParam } from "./skills.routes";
import { feedbackIssueSchema, feedbackSourceSchema, ruleChangeSchema, scoreSchema, slugSchema } from "./validation";

const tags = ["marketing"];

export const CreateFeedbackBody = z
  .object({
    overallScore: scoreSchema,
    accuracyScore: scoreSchema.optional(),
    qualityScore: scoreSchema.optional(),
    usefulnessScore: scoreSchema.optional(),
    ruleComplianceScore: scoreSchema.optional(),
    whatWorkedWell: z.string().trim().min(1).max(10_000).optional(),
    issues: z.array(feedbackIssueSchema).max(100).optional(),
    suggestedRuleChanges: z.array(ruleChangeSchema).max(100).optional(),
    source: feedbackSourceSchema,
    reviewerName: z.string().trim().min(1).max(100).optional(),
  })
  .openapi("MarketingCreateFeedback", { description: "Scores are integers from 1 to 5; only overallScore is required." });

export const createFeedback = createRoute({
  operationId: "marketingCreateFeedback",
  method: "post",
  path: "/outputs/{id}/feedback",
  tags,
  security: userSecurity,
  middleware: [userAuth, idempotent()] as const,
  summary: "Give feedback on one of the caller's outputs (once)",
  request: { params: uuidParams("id"), body: jsonBody(CreateFeedbackBody) },
  responses: {
    201: jsonContent(FeedbackSchema, "Recorded; `Location` names it"),
    ...problemResponses(400, 401, 404),
    409: problemResponse("This output already has feedback"),
  },
});

export const getFeedback = createRoute({
  operationId: "marketingGetFeedback",
  method: "get",
  path: "/outputs/{id}/feedback",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The feedback on one of the caller's outputs",
  request: { params: uuidParams("id") },
  responses: {
    200: jsonContent(FeedbackSchema, "The feedback"),
    ...problemResponses(400, 401),
    404: problemResponse("No such output for the caller, or no feedback on it yet"),
  },
});

export const SummaryQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ description: "Window: feedback created in the last N days" }),
});

const average = z.number().nullable().openapi({ description: "null when no feedback in the window carries this score" });
export const FeedbackSummarySchema = z
  .object({
    skill: z.string(),
    days: z.number().int(),
    since: z.iso.datetime(),
    count: z.number().int().openapi({ description: "Feedback rows in the window" }),
    avgOverall: average,
    avgAccuracy: average,
    avgQuality: average,
    avgUsefulness: average,
  })
  .openapi("MarketingFeedbackSummary");

export const feedbackSummary = createRoute({
  operationId: "marketingFeedbackSummary",
  method: "get",
  path: "/skills/{name}/feedback-summary",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Average feedback scores of a skill over the caller's runs",
  description:
    "The seed's averaging query (overall, accuracy, quality, usefulness) over feedback created in the last `days` days, plus the count, in one SQL statement.",
  request: { params: SkillNameParam, query: SummaryQuery },
  responses: {
    200: jsonContent(FeedbackSummarySchema, "The averages"),
    ...problemResponses(400, 401),
    404: problemResponse("No skill has this name"),
  },
});

const queryScore = z.coerce.number().int().min(1).max(5);
export const ListFeedbackQuery = listQuerySchema(["createdAt", "overallScore"] as const)
  .omit({ q: true })
  .extend({
    minScore: queryScore.optional().openapi({ description: "Only feedback with overall_score ≥ this" }),
    maxScore: queryScore.optional().openapi({ description: "Only feedback with overall_score ≤ this" }),
    from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only feedback created at or after this instant" }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only feedback created before this instant" }),
    skill: slugSchema.optional().openapi({ description: "Only feedback on runs of this skill" }),
  });

export const listFeedback = createRoute({
  operationId: "marketingListFeedback",
  method: "get",
  path: "/feedback",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Feedback on the caller's outputs, filtered by overall score and a date range",
  description: "The seed's `feedback_overall_score_idx` / `feedback_created_at_idx`; newest first unless asked otherwise.",
  request: { query: ListFeedbackQuery },
  responses: { 200: jsonContent(pageSchema(FeedbackSchema, "MarketingFeedbackPage"), "A page of feedback"), ...problemResponses(400, 401) },
});
