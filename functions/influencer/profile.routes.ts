import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent, problemResponse, problemResponses } from "../../src/http/openapi";
import { userAuth, userSecurity } from "./auth";
import { ProfileSchema, TrialSchema } from "./responses";

const tags = ["influencer"];
const text = (max: number) => z.string().trim().min(1).max(max);

export const getMe = createRoute({
  operationId: "influencerGetMe",
  method: "get",
  path: "/me",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's profile (created on first sight)",
  description:
    "A caller Clerk knows but this API has not seen yet gets a profile at once (`onboardingStep: pending`); `email` is taken from the token when it carries one. One statement batch.",
  responses: { 200: jsonContent(ProfileSchema, "The profile"), ...problemResponses(401, 503) },
});

export const OnboardingBody = z
  .discriminatedUnion("step", [
    z
      .object({ step: z.literal("info_captured"), fullName: text(200), businessName: text(200), industry: text(100).optional() })
      .openapi("InfluencerOnboardingInfo"),
    z
      .object({ step: z.literal("intent_captured"), brandDescription: z.string().trim().min(10).max(5000) })
      .openapi("InfluencerOnboardingIntent"),
    z.object({ step: z.literal("completed") }).openapi("InfluencerOnboardingComplete"),
  ])
  .openapi("InfluencerOnboardingStep");

export const advanceOnboarding = createRoute({
  operationId: "influencerAdvanceOnboarding",
  method: "patch",
  path: "/me/onboarding",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Move onboarding one step forward with the fields that step captures",
  description:
    "`pending → info_captured` (fullName, businessName, optional industry) → `intent_captured` (brandDescription) → `completed`. Forward only, one step at a time: any other move answers 409.",
  request: { body: jsonBody(OnboardingBody) },
  responses: {
    200: jsonContent(ProfileSchema, "The profile after the step"),
    ...problemResponses(400, 401, 503),
    409: problemResponse("The profile is not at the step this one follows"),
  },
});

export const getTrial = createRoute({
  operationId: "influencerGetTrial",
  method: "get",
  path: "/me/trial",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "The caller's trial and its reminder records",
  responses: { 200: jsonContent(TrialSchema, "The trial"), ...problemResponses(401, 503) },
});

const trialMove = problemResponse("The trial's status does not allow this move");

export const startTrial = createRoute({
  operationId: "influencerStartTrial",
  method: "post",
  path: "/me/trial/start",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Start the caller's trial",
  description:
    "Only from `pending`. The length is `trial.trial_length` in system configurations (7 days by default); reminder records are scheduled after `email.trial_day_2_delay`, `email.trial_day_5_delay` and `email.trial_expiry_delay`. No e-mail is sent by this API: the sweep marks each record `due`.",
  "x-round-trips": {
    "config-cold": 2,
    reason:
      "the trial length and reminder delays come from system configurations; when Redis does not hold them they are read from Postgres first",
  },
  responses: { 200: jsonContent(TrialSchema, "The active trial"), ...problemResponses(401, 503), 409: trialMove },
});

export const cancelTrial = createRoute({
  operationId: "influencerCancelTrial",
  method: "post",
  path: "/me/trial/cancel",
  tags,
  security: userSecurity,
  middleware: userAuth,
  summary: "Cancel the caller's active trial",
  description: "Only from `active`; reminders not yet due are skipped.",
  responses: { 200: jsonContent(TrialSchema, "The cancelled trial"), ...problemResponses(401, 503), 409: trialMove },
});
