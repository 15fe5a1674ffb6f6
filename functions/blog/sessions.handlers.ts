import type { AppRouteHandler } from "../../src/http/router";
import { errorFields } from "../../src/core/logger";
import { notFound } from "../../src/core/problem";
import type { RouteHandler } from "@hono/zod-openapi";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import type { AppContext } from "../../src/env";
import { agentQueries, agentsReadySql, toAgentSetup } from "./agents";
import { blogDb } from "./context";
import { GENERATE_JOB, type GenerateJob, runGeneration } from "./jobs";
import { PIPELINE_AGENTS } from "./pipeline";
import type { BlogSession } from "./schema";
import type { createSessionRoute, generateSessionRoute, getSessionRoute, patchSessionRoute } from "./sessions.routes";
import { type AgentLogEntry, createSession, getSession, notStartedProblem, patchDraft, type SessionFields, startGeneratingQuery } from "./sessions.store";
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

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toSessionOut(s: BlogSession) {
  return {
    id: s.id,
    status: s.status,
    storeUrl: s.storeUrl,
    brandVoice: parse<Record<string, unknown> | null>(s.brandVoice, null),
    selectedDressIds: parse<string[]>(s.selectedDressIds, []),
    additionalInstructions: s.additionalInstructions,
    generatedBlog: s.generatedBlog,
    seoMetadata: parse<{ title: string; description: string; keywords: string[] } | null>(s.seoMetadata, null),
    agentLog: parse<AgentLogEntry[]>(s.agentLog, []),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

const location = (c: { req: { path: string } }, id: string) => `${c.req.path.replace(/\/sessions(\/.*)?$/, "/sessions")}/${id}`;

export const createSessionHandler: AppRouteHandler<typeof createSessionRoute> = async (c) => {
  const { fields, dressIds } = toFields((c.req.valid("json") ?? {}) as SessionInput);
  const row = await createSession(blogDb(c), fields, dressIds);
  return c.json(toSessionOut(row), 201, { Location: location(c, row.id) });
};

export const getSessionHandler: AppRouteHandler<typeof getSessionRoute> = async (c) => {
  const row = await getSession(blogDb(c), c.req.valid("param").id);
  if (!row) throw notFound("No blog session has this id.");
  return c.json(toSessionOut(row), 200);
};

export const patchSessionHandler: AppRouteHandler<typeof patchSessionRoute> = async (c) => {
  const { fields, dressIds } = toFields(c.req.valid("json"));
  const row = await patchDraft(blogDb(c), c.req.valid("param").id, fields, dressIds);
  return c.json(toSessionOut(row), 200);
};

export const generateSessionHandler: AppRouteHandler<typeof generateSessionRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const db = blogDb(c);
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
  return c.json(toSessionOut(row), 202, { Location: location(c, id) });
};
