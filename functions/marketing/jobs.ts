/**
 * `marketing.executeRun`: runs a queued skill run in a Queue consumer. The job claims the run with one
 * conditional UPDATE (queued → running, only while `inngest_event_id` still names this job), so a
 * redelivered or superseded message finds nothing to claim and never writes a second output. A run
 * claimed by a consumer that then died stays `running` until the stuck-run sweep fails it.
 */
import { and, eq, sql } from "drizzle-orm";
import { deadlines, intVar } from "../../src/core/config";
import { DeadlineExceeded, withDeadline } from "../../src/core/deadline";
import type { AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import { errorFields, type Logger } from "../../src/core/logger";
import { createRedis } from "../../src/cache/client";
import { BudgetExhausted, chargeModelCall, recordTokens } from "../../src/db/spend-budget";
import { UpstreamError } from "../../src/core/upstream";
import { MAX_CONTEXT_BYTES, MAX_CONTEXT_FILES, type MarketingEnv, marketingConfig } from "./config";
import { type MarketingDb, marketingDb } from "./db";
import { isTextual, isUsableSkillFolder, skillPrefix } from "./file-store";
import { type ChatMessage, complete } from "./llm";
import { insertPendingOutput, markStored, putOutputObject } from "./output-store";
import { clients, runs, skills } from "./schema";

export const EXECUTE_RUN_JOB = "marketing.executeRun";
export interface ExecuteRunJob {
  job: typeof EXECUTE_RUN_JOB;
  runId: string;
  jobId: string;
}

/** Sends the job; when the queue cannot take it, runs it after the response (bounded by waitUntil; the stuck-run sweep covers the rest). */
export async function queueExecution(env: AppEnv, ctx: Pick<ExecutionContext, "waitUntil">, job: ExecuteRunJob, logger: Logger) {
  try {
    await withDeadline(env.JOBS.send(job), deadlines(env).queueMs, "job queue");
  } catch (err) {
    logger.error("could not queue the run; executing it after the response", { runId: job.runId, ...errorFields(err) });
    ctx.waitUntil(executeRun(env, job.runId, job.jobId, logger));
  }
}

const FIRST = ["SKILL.md", "RULES.md"];
const rank = (key: string) => {
  const i = FIRST.indexOf(key.slice(key.lastIndexOf("/") + 1));
  return i === -1 ? FIRST.length : i;
};

/** The text files under `prefix` (SKILL.md, RULES.md, then the rest by name), within the context limits; files stored with a non-text type are left out. */
export async function readFiles(env: AppEnv, prefix: string): Promise<{ name: string; text: string }[]> {
  const r2Ms = deadlines(env).r2Ms;
  const listed = await withDeadline(env.FILES.list({ prefix, limit: MAX_CONTEXT_FILES, include: ["httpMetadata"] }), r2Ms, "file store");
  const keys = listed.objects
    .filter((o) => isTextual(o.httpMetadata?.contentType))
    .map((o) => o.key)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const files: { name: string; text: string }[] = [];
  let bytes = 0;
  for (const key of keys) {
    const obj = await withDeadline(env.FILES.get(key), r2Ms, "file store");
    if (!obj) continue;
    if (bytes + obj.size > MAX_CONTEXT_BYTES) {
      await obj.body.cancel();
      break;
    }
    bytes += obj.size;
    files.push({ name: key.slice(prefix.length), text: await obj.text() });
  }
  return files;
}

const asSection = (files: { name: string; text: string }[]) => files.map((f) => `--- ${f.name} ---\n${f.text}`).join("\n\n");

/** Claims the run for this job in one batch: the conditional UPDATE and what running it needs. */
async function claim(db: MarketingDb, runId: string, jobId: string) {
  const [claimed, info] = await db.batch([
    db
      .update(runs)
      .set({ status: "running", startedAt: sql`now()` })
      .where(and(eq(runs.id, runId), eq(runs.status, "queued"), eq(runs.inngestEventId, jobId)))
      .returning({ id: runs.id }),
    db
      .select({
        userId: runs.userId,
        userMessage: runs.userMessage,
        skill: skills.name,
        skillKey: skills.s3Key,
        client: clients.slug,
        clientPrefix: clients.s3Prefix,
      })
      .from(runs)
      .innerJoin(skills, eq(skills.id, runs.skillId))
      .leftJoin(clients, eq(clients.id, runs.clientId))
      .where(eq(runs.id, runId)),
  ]);
  return claimed.length && info[0] ? info[0] : null;
}

/** Why a run failed, as its error_message: what happened, never a secret or a stack. */
function failureMessage(err: unknown): string {
  if (err instanceof UpstreamError || err instanceof RunFailure) return err.message;
  if (err instanceof DeadlineExceeded) return err.detail ?? "A dependency did not answer in time.";
  if (err instanceof BudgetExhausted) return err.detail ?? "Today's language model budget is used up.";
  return "The run failed with an internal error.";
}

/** A reason to fail the run that is fit to show as it is. */
class RunFailure extends Error {}

export async function executeRun(env: MarketingEnv, runId: string, jobId: string, logger: Logger): Promise<void> {
  const db = marketingDb(env);
  const run = await claim(db, runId, jobId);
  if (!run) {
    logger.warn("run not claimable (already executed, superseded or no longer queued); skipped", { runId, jobId });
    return;
  }
  const running = and(eq(runs.id, runId), eq(runs.status, "running"));
  try {
    const cfg = marketingConfig(env);
    if (!cfg.llmApiKey) throw new RunFailure("No language model API key is configured: set the MARKETING_LLM_API_KEY secret.");
    const folder = skillPrefix(run.skillKey);
    if (!isUsableSkillFolder(folder)) throw new RunFailure(`The skill's s3Key names "${folder}", which is not a folder of its own.`);
    const skillFiles = await readFiles(env, folder);
    const clientFiles = run.clientPrefix ? await readFiles(env, run.clientPrefix) : [];
    const messages: ChatMessage[] = [
      {
        role: "system",
        content: `You run the marketing skill "${run.skill}". Follow its instructions and rules.\n\n${asSection(skillFiles)}`,
      },
      ...(clientFiles.length
        ? [{ role: "system" as const, content: `Context about the client "${run.client}":\n\n${asSection(clientFiles)}` }]
        : []),
      { role: "user", content: run.userMessage },
    ];
    // The global daily model budget (src/db/spend-budget.ts): over it, the run fails with that reason.
    const spend = { env, redis: createRedis(env, intVar(env.CACHE_TIMEOUT_MS, 500)), db, logger };
    await chargeModelCall(spend);
    const answer = await complete(cfg, cfg.llmApiKey, messages);
    await recordTokens(spend, answer.tokensInput + answer.tokensOutput);
    const pending = await insertPendingOutput(
      db,
      runId,
      run.userId,
      { userId: run.userId, skill: run.skill, client: run.client },
      { format: "markdown", content: answer.content },
    );
    if (!pending) throw new RunFailure("The run was removed while it ran.");
    await putOutputObject(env, pending.row, pending.bytes);
    const [, completed] = await db.batch([
      markStored(db, pending.row.id, { whileRunning: true }),
      db
        .update(runs)
        .set({ status: "completed", completedAt: sql`now()`, tokensInput: answer.tokensInput, tokensOutput: answer.tokensOutput })
        .where(running)
        .returning({ id: runs.id }),
    ]);
    if (completed.length === 0) {
      logger.warn("run cancelled or failed while it ran; its output stays pending for the sweep", { runId, outputId: pending.row.id });
      return;
    }
    logger.info("run executed", { runId, outputId: pending.row.id, tokensInput: answer.tokensInput, tokensOutput: answer.tokensOutput });
  } catch (err) {
    const message = failureMessage(err);
    logger.error("run failed", { runId, ...errorFields(err) });
    await db.update(runs).set({ status: "failed", completedAt: sql`now()`, errorMessage: message }).where(running);
  }
}

export const marketingJobs: JobTable = {
  [EXECUTE_RUN_JOB]: (body, { env, logger }) =>
    executeRun(env, String(body.runId), String(body.jobId), logger.child({ runId: body.runId })),
};
