import type { AppRouteHandler } from "../../src/http/router";
import { errorFields } from "../../src/core/logger";
import { location } from "../../src/http/location";
import { notFound } from "../../src/core/problem";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { agentQueries, agentsReadySql, toAgentSetup } from "./agents";
import { blogDb } from "./db";
import { GENERATE_JOB, type GenerateJob, runGeneration } from "./jobs";
import { PIPELINE_AGENTS } from "./pipeline";
import { sessionJson } from "./responses";
import type * as routes from "./sessions.routes";
import {
  createSession as insertSession,
  getSession as selectSession,
  notStartedProblem,
  patchDraft,
  type SessionFields,
  startGeneratingQuery,
} from "./sessions.store";
import { invalidUrl, normalizeStoreUrl } from "./store-url";

interface SessionInput {
  storeUrl?: string | null;
  brandVoice?: Record<string, unknown> | null;
  selectedDressIds?: string[] | null;
  additionalInstructions?: string | null;
}

/** API input → columns (JSON as text, the store URL normalised), plus the dress ids to check. */
function toFields(input: SessionInput): { fields: SessionFields; dressIds: string[] | null } {
  const fields: SessionFields = {};
  if (input.storeUrl !== undefined) {
    const url = input.storeUrl === null ? null : normalizeStoreUrl(input.storeUrl);
    if (input.storeUrl !== null && !url) throw invalidUrl("body.storeUrl");
    fields.storeUrl = url;
  }
  if (input.brandVoice !== undefined) fields.brandVoice = input.brandVoice === null ? null : JSON.stringify(input.brandVoice);
  let dressIds: string[] | null = null;
  if (input.selectedDressIds !== undefined) {
    dressIds = input.selectedDressIds === null ? [] : [...new Set(input.selectedDressIds)];
    fields.selectedDressIds = input.selectedDressIds === null ? null : JSON.stringify(dressIds);
  }
  if (input.additionalInstructions !== undefined) fields.additionalInstructions = input.additionalInstructions;
  return { fields, dressIds };
}

export const createSession: AppRouteHandler<typeof routes.createSession> = async (c) => {
  const { fields, dressIds } = toFields((c.req.valid("json") ?? {}) as SessionInput);
  const row = await insertSession(blogDb(c.env), fields, dressIds);
  return c.json(sessionJson(row), 201, { Location: location(c, `/sessions/${row.id}`) });
};

export const getSession: AppRouteHandler<typeof routes.getSession> = async (c) => {
  const row = await selectSession(blogDb(c.env), c.req.valid("param").id);
  if (!row) throw notFound("No blog session has this id.");
  return c.json(sessionJson(row), 200);
};

export const patchSession: AppRouteHandler<typeof routes.patchSession> = async (c) => {
  const { fields, dressIds } = toFields(c.req.valid("json"));
  const row = await patchDraft(blogDb(c.env), c.req.valid("param").id, fields, dressIds);
  return c.json(sessionJson(row), 200);
};

export const generateSession: AppRouteHandler<typeof routes.generateSession> = async (c) => {
  const { id } = c.req.valid("param");
  const db = blogDb(c.env);
  // One round trip: the agents' setup is read and the draft moves only if that setup is complete,
  // so a missing key answers 503 and leaves the draft as it was.
  const [configs, keys, moved] = await db.batch([
    ...agentQueries(db, PIPELINE_AGENTS),
    startGeneratingQuery(db, id, agentsReadySql(PIPELINE_AGENTS)),
  ]);
  const row = moved[0];
  if (!row) {
    toAgentSetup([configs, keys], PIPELINE_AGENTS);
    throw await notStartedProblem(db, id);
  }
  const job: GenerateJob = { job: GENERATE_JOB, sessionId: id };
  try {
    await withDeadline(c.env.JOBS.send(job), deadlines(c.env).queueMs, "job queue");
  } catch (err) {
    // Better a run bounded by waitUntil's 30 s than none; the stuck-session sweep covers the rest.
    c.get("logger").error("could not queue the generation; running it after the response", errorFields(err));
    c.executionCtx.waitUntil(runGeneration(c.env, id, c.get("logger")));
  }
  return c.json(sessionJson(row), 202, { Location: location(c, `/sessions/${id}`) });
};
