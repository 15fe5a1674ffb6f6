import type { AppRouteHandler } from "../../src/http/router";
import { errorFields } from "../../src/core/logger";
import { location } from "../../src/http/location";
import type { Context } from "hono";
import type { SQL } from "drizzle-orm";
import { type HttpProblem, notFound } from "../../src/core/problem";
import type { AppContext } from "../../src/http/context";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { agentQueries, agentsReadySql, toAgentSetup } from "./agents";
import { type BlogDb, blogDb } from "./db";
import { GENERATE_JOB, type GenerateJob, runGeneration } from "./jobs";
import { PIPELINE_AGENTS } from "./pipeline";
import { sessionJson } from "./responses";
import type * as routes from "./sessions.routes";
import {
  createSession as insertSession,
  getSession as selectSession,
  notStartedProblem,
  notRetriedProblem,
  patchDraft,
  retryGeneratingQuery,
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

/**
 * One round trip: the agents' setup is read and the session moves (`move`) only if that setup is complete, so a
 * missing key answers 503 and leaves the session as it was. Then the job is queued.
 */
async function startRun(
  c: Context<AppContext>,
  id: string,
  move: (db: BlogDb, guard: SQL) => ReturnType<typeof startGeneratingQuery>,
  whyNot: (db: BlogDb) => Promise<HttpProblem>,
) {
  const db = blogDb(c.env);
  const [configs, keys, moved] = await db.batch([...agentQueries(db, PIPELINE_AGENTS), move(db, agentsReadySql(PIPELINE_AGENTS))]);
  const row = moved[0];
  if (!row) {
    toAgentSetup([configs, keys], PIPELINE_AGENTS);
    throw await whyNot(db);
  }
  const job: GenerateJob = { job: GENERATE_JOB, sessionId: id };
  try {
    await withDeadline(c.env.JOBS.send(job), deadlines(c.env).queueMs, "job queue");
  } catch (err) {
    // Better a run bounded by waitUntil's 30 s than none; the stuck-session sweep covers the rest.
    c.get("logger").error("could not queue the generation; running it after the response", errorFields(err));
    c.executionCtx.waitUntil(runGeneration(c.env, id, c.get("logger")));
  }
  return row;
}

export const generateSession: AppRouteHandler<typeof routes.generateSession> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await startRun(
    c,
    id,
    (db, guard) => startGeneratingQuery(db, id, guard),
    (db) => notStartedProblem(db, id),
  );
  return c.json(sessionJson(row), 202, { Location: location(c, `/sessions/${id}`) });
};

export const retrySession: AppRouteHandler<typeof routes.retrySession> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await startRun(
    c,
    id,
    (db, guard) => retryGeneratingQuery(db, id, guard),
    (db) => notRetriedProblem(db, id),
  );
  return c.json(sessionJson(row), 202, { Location: location(c, `/sessions/${id}`) });
};
