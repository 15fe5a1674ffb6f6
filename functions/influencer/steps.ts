/**
 * The step processor, the seed's background worker: one call fetches one scraper page at the job's cursor and
 * stores it with the job's new counters, cursor, progress and status in one transaction. A data-modifying CTE
 * makes the insert depend on the conditional UPDATE (same id, same cursor, still pending/processing), so a
 * redelivered or concurrent step stores nothing twice. Run by POST /jobs/{id}/process (QStash) and by the
 * JOBS queue consumer (`influencer.step`): one code path, two transports (transport.ts).
 */
import type { MiddlewareHandler } from "hono";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { createCache } from "../../src/cache/client";
import type { AppContext, AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import type { Logger } from "../../src/core/logger";
import { unavailable } from "../../src/core/problem";
import { UpstreamError, upstreamProblem } from "../../src/core/upstream";
import { verifyQstash } from "../../src/http/webhooks/qstash";
import { influencerConfig } from "./config";
import { type InfluencerDb, influencerDb } from "./db";
import { jobById, maxApiCalls } from "./jobs.store";
import { ACTIVE_JOB_STATUSES, type ScrapingJob, scrapingJobs, scrapingResults } from "./schema";
import { fetchPage } from "./scraper";
import { loadSettings } from "./system-config";
import { type Step, STEP_JOB, sendStep, type Transport } from "./transport";

export interface StepResult {
  outcome: "advanced" | "completed" | "error" | "ignored";
  reason?: string;
  job: ScrapingJob | null;
  next: { cursor: number; transport: Transport } | null;
}

const isActive = (status: string) => (ACTIVE_JOB_STATUSES as readonly string[]).includes(status);
const ignored = (reason: string, job: ScrapingJob | null): StepResult => ({ outcome: "ignored", reason, job, next: null });
const sameStep = (step: Step) =>
  and(eq(scrapingJobs.id, step.jobId), eq(scrapingJobs.cursor, step.cursor), inArray(scrapingJobs.status, ACTIVE_JOB_STATUSES));

/** The job fails with a reason safe to show (never the upstream's body). */
async function fail(db: InfluencerDb, step: Step, reason: string): Promise<StepResult> {
  const [moved, [job]] = await db.batch([
    db
      .update(scrapingJobs)
      .set({ status: "error", error: reason, completedAt: sql`now()`, startedAt: sql`coalesce(${scrapingJobs.startedAt}, now())` })
      .where(sameStep(step))
      .returning({ id: scrapingJobs.id }),
    jobById(db, step.jobId),
  ]);
  return moved.length
    ? { outcome: "error", reason, job: job ?? null, next: null }
    : ignored("a concurrent delivery already ran this step", job ?? null);
}

export interface StepOptions {
  /** the QStash message being delivered (kept in scraping_jobs.qstash_message_id) */
  messageId?: string;
  waitUntil?: (p: Promise<unknown>) => void;
}

export async function runStep(env: AppEnv, logger: Logger, step: Step, opts: StepOptions = {}): Promise<StepResult> {
  const db = influencerDb(env);
  const [job] = await jobById(db, step.jobId);
  if (!job) return ignored("no such job", null);
  if (!isActive(job.status)) return ignored(`the job is ${job.status}`, job);
  if ((job.cursor ?? 0) !== step.cursor) return ignored("stale step: the job's cursor has moved on", job);
  if (job.timeoutAt && job.timeoutAt.getTime() <= Date.now()) return ignored("the job is past its timeout", job);

  const cfg = influencerConfig(env);
  if (!cfg.scraperUrl) throw unavailable("The scraper API is not configured (SCRAPER_API_URL).", 60);
  const settings = await loadSettings({
    env,
    cache: createCache(env, logger),
    logger,
    waitUntil: opts.waitUntil ?? ((p) => void p.catch(() => {})),
  });
  let page;
  try {
    page = await fetchPage(cfg, job, step.cursor);
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    // Down or slow: nothing changes and the caller retries (QStash on the 503, the queue on the throw).
    if (err.transient) throw upstreamProblem(err, { retryAfterSeconds: 10 });
    return fail(db, step, err.message);
  }
  if (page.nextCursor !== null && page.nextCursor <= step.cursor) return fail(db, step, "scraper API: the cursor did not advance");

  const take = page.items.slice(0, Math.max(0, job.targetResults - job.processedResults));
  const results = job.processedResults + take.length;
  const runs = job.processedRuns + 1;
  const done = page.nextCursor === null || results >= job.targetResults || runs >= maxApiCalls(settings, cfg);
  const progress = done ? 100 : Math.min(99.99, Math.round((results / job.targetResults) * 10_000) / 100);
  const nextCursor = page.nextCursor ?? step.cursor;

  const write = sql`WITH moved AS (
      UPDATE ${scrapingJobs} SET status = ${done ? "completed" : "processing"}, processed_runs = processed_runs + 1,
        processed_results = processed_results + ${take.length}, cursor = ${nextCursor}, progress = ${progress},
        started_at = coalesce(started_at, now()), completed_at = ${done ? sql`now()` : sql`NULL`},
        qstash_message_id = coalesce(${opts.messageId ?? null}, qstash_message_id), updated_at = now()
      WHERE id = ${step.jobId} AND cursor = ${step.cursor} AND status IN ('pending', 'processing')
      RETURNING id
    ), saved AS (
      INSERT INTO ${scrapingResults} (job_id, creators)
      SELECT id, ${JSON.stringify(take)}::jsonb FROM moved WHERE ${take.length > 0}
      RETURNING id
    )
    SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM saved)::int AS saved`;
  const [written, [after]] = await db.batch([db.execute<{ moved: number; saved: number }>(write), jobById(db, step.jobId)]);
  if (Number(written.rows[0]?.moved ?? 0) === 0) return ignored("a concurrent delivery already ran this step", after ?? null);
  if (done) return { outcome: "completed", job: after ?? null, next: null };
  const transport = await sendStep(env, { jobId: step.jobId, cursor: nextCursor }, logger);
  return { outcome: "advanced", job: after ?? null, next: { cursor: nextCursor, transport } };
}

/** QStash's signature over this URL and the raw body, checked before the body is parsed. */
export const qstashSigned: MiddlewareHandler<AppContext> = async (c, next) => {
  const cfg = influencerConfig(c.env);
  if (!cfg.signingKeys) throw unavailable("QStash signing keys are not configured.", 60);
  const raw = await c.req.text();
  const url = cfg.publicUrl ? `${cfg.publicUrl}${c.req.path}` : c.req.url;
  await verifyQstash(raw, c.req.header("Upstash-Signature") ?? null, { ...cfg.signingKeys, url });
  await next();
};

const StepMessage = z.object({ jobId: z.uuid(), cursor: z.number().int().min(0) });

export const influencerJobs: JobTable = {
  [STEP_JOB]: async (body, { env, logger }) => {
    const step = StepMessage.safeParse(body);
    if (!step.success) {
      logger.error("influencer.step: malformed message dropped");
      return;
    }
    const r = await runStep(env, logger.child({ jobId: step.data.jobId }), step.data);
    logger.info("influencer.step done", { outcome: r.outcome, reason: r.reason, next: r.next?.transport });
  },
};
