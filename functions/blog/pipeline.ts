/**
 * The generation pipeline: blog-writer → blog-editor → seo-specialist → senior-editor → blog-reviewer.
 * Each pass is appended to the session's agent_log as it finishes, so GET /sessions/{id} shows progress;
 * the reviewer's approval completes the session with the post and its SEO metadata, and any failure (an agent
 * erring, answering something unusable, or rejecting the post) fails it with the reason as the last entry.
 * It never throws: it runs in a Queue consumer (jobs.ts), after the response.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { blogDb, type BlogDb } from "./db";
import type { AppEnv } from "../../src/env";
import type { Logger } from "../../src/core/logger";
import { errorFields } from "../../src/core/logger";
import { UpstreamError } from "../../src/core/upstream";
import { createRedis } from "../../src/cache/client";
import { intVar } from "../../src/core/config";
import { BudgetExhausted } from "../../src/db/spend-budget";
import { type AgentAnswer, type AgentId, type AgentSetup, callAgent, parseJsonAnswer, type ChatMessage } from "./agents";
import { blogConfig } from "./config";
import * as schema from "./db-schema";
import { dressesByIds } from "./dresses.store";
import { type BlogBrief, pipelinePrompts, type SeoMetadata } from "./prompts";
import type { AgentLogEntry } from "./responses";
import { completeSession, failSession, type GenerationLease, logPass } from "./sessions.store";
import { INPUT_LIMITS, seoMetadataSchema } from "./validation";

export const PIPELINE_AGENTS = [
  "blog-writer",
  "blog-editor",
  "seo-specialist",
  "senior-editor",
  "blog-reviewer",
] as const satisfies readonly AgentId[];

const reviewSchema = z.object({ approved: z.boolean(), feedback: z.string().default("") });

/** Stops the pipeline; its entry becomes the last of agent_log. */
class PassFailed extends Error {
  constructor(readonly entry: AgentLogEntry) {
    super(entry.error);
  }
}
class NoLongerGenerating extends Error {}

function parseJson(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Bounds of dress fields (from the dress API) in a prompt. */
const DRESS_TEXT = { name: 200, description: 2000, tags: 20 } as const;

const clip = (text: string | null, max: number) => (text && text.length > max ? text.slice(0, max) : text);

/** A stored brand voice as prompt input: its JSON, or (when longer than the input limit) the start of its text. */
function boundedVoice(text: string | null): unknown {
  if (!text) return null;
  return text.length > INPUT_LIMITS.brandVoiceChars ? text.slice(0, INPUT_LIMITS.brandVoiceChars) : parseJson(text);
}

async function loadBrief(db: BlogDb, id: string): Promise<BlogBrief> {
  // The relation named brandVoice would shadow the column of that name, hence a plain join.
  const [row] = await db
    .select({ session: schema.blogSessions, cachedVoice: schema.brandVoiceCache.analysisResult })
    .from(schema.blogSessions)
    .leftJoin(schema.brandVoiceCache, eq(schema.brandVoiceCache.url, schema.blogSessions.storeUrl))
    .where(eq(schema.blogSessions.id, id));
  if (row?.session.status !== "generating") throw new NoLongerGenerating();
  const { session } = row;
  const ids = z.array(z.string()).catch([]).parse(parseJson(session.selectedDressIds));
  const dresses = await dressesByIds(db, ids);
  // Every text goes into the prompts bounded, also rows written before the input limits existed and what the dress API sent.
  return {
    storeUrl: clip(session.storeUrl, INPUT_LIMITS.storeUrl),
    // The brand voice the user confirmed; else the cached analysis of the store, if any.
    brandVoice: boundedVoice(session.brandVoice) ?? boundedVoice(row.cachedVoice),
    dresses: dresses.slice(0, INPUT_LIMITS.selectedDresses).map((d) => ({
      externalId: clip(d.externalId, INPUT_LIMITS.dressId)!,
      name: clip(d.name, DRESS_TEXT.name)!,
      designer: clip(d.designer, DRESS_TEXT.name),
      description: clip(d.description, DRESS_TEXT.description),
      price: clip(d.price, DRESS_TEXT.name),
      category: clip(d.category, DRESS_TEXT.name),
      tags: z
        .array(z.string())
        .catch([])
        .parse(parseJson(d.tags))
        .slice(0, DRESS_TEXT.tags)
        .map((t) => clip(t, DRESS_TEXT.name)!),
    })),
    instructions: clip(session.additionalInstructions, INPUT_LIMITS.additionalInstructions),
  };
}

export async function runPipeline(
  env: AppEnv,
  sessionId: string,
  lease: GenerationLease,
  setup: AgentSetup,
  logger: Logger,
): Promise<void> {
  const db = blogDb(env);
  const cfg = blogConfig(env);
  const log = logger.child({ sessionId });
  const spend = { env, redis: createRedis(env, intVar(env.CACHE_TIMEOUT_MS, 500)), db, logger: log };

  const pass = async <T>(
    agent: AgentId,
    messages: ChatMessage[],
    read: (a: AgentAnswer) => T,
  ): Promise<{ out: T; entry: AgentLogEntry }> => {
    const model = setup.models.get(agent)!;
    const t0 = Date.now();
    let answer: AgentAnswer | undefined;
    try {
      answer = await callAgent(cfg, setup.apiKey, model, messages, {
        json: agent === "seo-specialist" || agent === "blog-reviewer",
        spend,
      });
      const out = read(answer);
      return { out, entry: entryOf(agent, answer, "ok") };
    } catch (err) {
      const reason = err instanceof UpstreamError ? err.message : err instanceof BudgetExhausted ? err.detail! : "internal error";
      if (!(err instanceof UpstreamError || err instanceof BudgetExhausted))
        log.error("pipeline pass failed", { agent, ...errorFields(err) });
      throw new PassFailed({
        ...entryOf(agent, answer, "error", reason),
        model: answer?.model ?? model.modelId,
        durationMs: Date.now() - t0,
      });
    }
  };
  const record = async (entry: AgentLogEntry) => {
    if (!(await logPass(db, sessionId, lease, entry))) throw new NoLongerGenerating();
  };

  try {
    const brief = await loadBrief(db, sessionId);
    if (!brief.dresses.length)
      throw new PassFailed(entryOf("pipeline", undefined, "error", "none of the selected dresses is cached any more"));
    const text = (a: AgentAnswer) => a.content;

    const written = await pass("blog-writer", pipelinePrompts["blog-writer"](brief), text);
    await record(written.entry);
    const edited = await pass("blog-editor", pipelinePrompts["blog-editor"](brief, written.out), text);
    await record(edited.entry);
    const seo = await pass(
      "seo-specialist",
      pipelinePrompts["seo-specialist"](brief, edited.out),
      (a): SeoMetadata => parseJsonAnswer(a.content, seoMetadataSchema),
    );
    await record(seo.entry);
    const final = await pass("senior-editor", pipelinePrompts["senior-editor"](brief, edited.out, seo.out), text);
    await record(final.entry);
    const review = await pass("blog-reviewer", pipelinePrompts["blog-reviewer"](brief, final.out, seo.out), (a) =>
      parseJsonAnswer(a.content, reviewSchema),
    );
    if (!review.out.approved) {
      throw new PassFailed({
        ...review.entry,
        outcome: "rejected",
        error: `the reviewer rejected the post: ${review.out.feedback || "no reason given"}`,
      });
    }
    if (await completeSession(db, sessionId, lease, review.entry, final.out, seo.out)) log.info("blog generated");
  } catch (err) {
    if (err instanceof NoLongerGenerating) {
      log.warn("pipeline stopped: the session is no longer generating");
      return;
    }
    const entry = err instanceof PassFailed ? err.entry : entryOf("pipeline", undefined, "error", "internal error");
    if (!(err instanceof PassFailed)) log.error("pipeline failed", errorFields(err));
    try {
      await failSession(db, sessionId, lease, entry);
    } catch (e) {
      // The stuck-session sweep fails it later.
      log.error("could not mark the session failed", errorFields(e));
    }
  }
}

function entryOf(agent: string, a: AgentAnswer | undefined, outcome: AgentLogEntry["outcome"], error?: string): AgentLogEntry {
  return {
    agent,
    model: a?.model ?? null,
    promptTokens: a?.promptTokens ?? 0,
    completionTokens: a?.completionTokens ?? 0,
    totalTokens: a?.totalTokens ?? 0,
    durationMs: a?.durationMs ?? 0,
    outcome,
    ...(error ? { error } : {}),
    finishedAt: new Date().toISOString(),
  };
}
