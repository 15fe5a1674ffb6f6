/**
 * The statements of a run. A claim leases due jobs with one token (`lease_owner`, `lease_expires_at`); a run
 * starts by swapping that token for `<token>:run` (so a redelivered queue message finds nothing to start),
 * opens one RUNNING task per endpoint and reads what it needs — one round trip; it ends with one batch
 * that completes the tasks, writes the message(s), adds the usage, advances the job and releases the lease,
 * every statement conditional on the run still holding the lease — one round trip.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppEnv } from "../../src/env";
import { selectRow } from "../../src/db/insert-select";
import { claimWithLease, releaseLease } from "../../src/db/leases";
import { schedulerConfig } from "./config";
import { type SchedulerDb, schedulerDb } from "./db";
import {
  contextEntries,
  endpoints,
  type Job,
  jobs,
  jobUsage,
  type MessageContent,
  type MessageRole,
  messages,
  type TaskStatus,
  tasks,
} from "./schema";

export const RUN_SUFFIX = ":run";
const leaseFor = (ms: number) => sql`now() + ${ms}::double precision * interval '1 millisecond'`;

/** Due ACTIVE jobs, oldest nextRunAt first, leased for SCHEDULER_LEASE_MS. */
export async function claimDueJobs(env: AppEnv, limit: number) {
  return claimWithLease(schedulerDb(env), {
    table: jobs,
    where: and(eq(jobs.status, "ACTIVE"), lte(jobs.nextRunAt, sql`now()`))!,
    orderBy: asc(jobs.nextRunAt),
    limit,
    ttlMs: schedulerConfig(env).leaseMs,
    owner: "cron",
  });
}

/** Leases one of the user's jobs for a run now (ACTIVE or PAUSED, lease free or expired). */
export async function claimOneJob(env: AppEnv, userId: string, jobId: string) {
  return claimWithLease(schedulerDb(env), {
    table: jobs,
    where: and(eq(jobs.id, jobId), eq(jobs.userId, userId), inArray(jobs.status, ["ACTIVE", "PAUSED"]))!,
    limit: 1,
    ttlMs: schedulerConfig(env).leaseMs,
    owner: "now",
  });
}

/** Gives claimed leases back at once (the queue did not take their messages). */
export async function releaseClaims(env: AppEnv, ids: string[], token: string) {
  if (!ids.length) return;
  const db = schedulerDb(env);
  await db
    .update(jobs)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(inArray(jobs.id, ids), eq(jobs.leaseOwner, token)));
}

const holds = (db: SchedulerDb, jobId: string, runToken: string) =>
  sql`EXISTS (${db
    .select({ one: sql`1` })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, runToken)))})`;

export interface StartedRun {
  job: Job;
  runToken: string;
  tasks: { id: string; endpointId: string | null }[];
  endpoints: (typeof endpoints.$inferSelect)[];
  context: { key: string; value: string }[];
}

/** Starts the run the claim `token` allows; null when it was started already or the lease is gone. */
export async function startRun(env: AppEnv, jobId: string, token: string): Promise<StartedRun | null> {
  const db = schedulerDb(env);
  const runToken = `${token}${RUN_SUFFIX}`;
  const lease = leaseFor(schedulerConfig(env).leaseMs);
  const [started, opened, eps, ctx] = await db.batch([
    db
      .update(jobs)
      .set({ leaseOwner: runToken, leaseExpiresAt: lease, locked: true, lockExpiresAt: lease })
      .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, token)))
      .returning(),
    db
      .insert(tasks)
      .select(
        db
          .select(
            selectRow(tasks, {
              id: sql`gen_random_uuid()::text`,
              jobId: endpoints.jobId,
              runId: token,
              endpointId: endpoints.id,
              name: endpoints.name,
              status: "RUNNING",
              startedAt: sql`now()`,
              createdAt: sql`now()`,
              updatedAt: sql`now()`,
            }),
          )
          .from(endpoints)
          .where(and(eq(endpoints.jobId, jobId), holds(db, jobId, runToken))),
      )
      .returning({ id: tasks.id, endpointId: tasks.endpointId }),
    db
      .select()
      .from(endpoints)
      .where(and(eq(endpoints.jobId, jobId), holds(db, jobId, runToken)))
      .orderBy(asc(endpoints.createdAt), asc(endpoints.id)),
    db
      .select({ key: contextEntries.key, value: contextEntries.value })
      .from(contextEntries)
      .where(and(eq(contextEntries.jobId, jobId), holds(db, jobId, runToken)))
      .orderBy(asc(contextEntries.key)),
  ]);
  const job = started[0];
  if (!job) return null;
  return { job, runToken, tasks: opened, endpoints: eps, context: ctx };
}

export interface TaskOutcome {
  taskId: string;
  status: Extract<TaskStatus, "SUCCEEDED" | "FAILED">;
  httpStatus: number | null;
  durationMs: number;
  response: string | null;
  error: string | null;
}

export interface RunOutcome {
  ok: boolean;
  tasks: TaskOutcome[];
  messages: { role: MessageRole; content: MessageContent; metadata: Record<string, unknown> }[];
  tokens: { input: number; output: number; total: number };
  nextRunAt: Date | null;
  /** set when this run's failure pauses the job: the message explaining why */
  pause?: { content: string; metadata: Record<string, unknown> };
}

/** The one batch that ends a run. */
export function finishRunStatements(db: SchedulerDb, run: StartedRun, out: RunOutcome): [BatchItem<"pg">, ...BatchItem<"pg">[]] {
  const { job, runToken } = run;
  const guard = holds(db, job.id, runToken);
  const items: BatchItem<"pg">[] = out.tasks.map((t) =>
    db
      .update(tasks)
      .set({
        status: t.status,
        httpStatus: t.httpStatus,
        durationMs: t.durationMs,
        response: t.response,
        error: t.error,
        completedAt: sql`now()`,
      })
      .where(and(eq(tasks.id, t.taskId), eq(tasks.status, "RUNNING"))),
  );
  const allMessages = out.pause ? [...out.messages, { role: "system" as const, ...out.pause }] : out.messages;
  for (const m of allMessages) {
    items.push(
      db.insert(messages).select(
        db
          .select(
            selectRow(messages, {
              id: sql`gen_random_uuid()::text`,
              jobId: job.id,
              role: m.role,
              content: m.content,
              metadata: m.metadata,
              createdAt: sql`now()`,
            }),
          )
          .from(sql`(SELECT 1) AS one`)
          .where(guard),
      ),
    );
  }
  items.push(
    db
      .insert(jobUsage)
      .select(
        db
          .select(
            selectRow(jobUsage, {
              jobId: job.id,
              day: sql`(now() AT TIME ZONE 'UTC')::date`,
              runs: 1,
              inputTokens: out.tokens.input,
              outputTokens: out.tokens.output,
              totalTokens: out.tokens.total,
            }),
          )
          .from(sql`(SELECT 1) AS one`)
          .where(guard),
      )
      .onConflictDoUpdate({
        target: [jobUsage.jobId, jobUsage.day],
        set: {
          runs: sql`${jobUsage.runs} + 1`,
          inputTokens: sql`${jobUsage.inputTokens} + excluded."inputTokens"`,
          outputTokens: sql`${jobUsage.outputTokens} + excluded."outputTokens"`,
          totalTokens: sql`${jobUsage.totalTokens} + excluded."totalTokens"`,
        },
      }),
  );
  items.push(
    db
      .update(jobs)
      .set({
        nextRunAt: out.nextRunAt,
        lastRunAt: sql`now()`,
        lastRunStatus: out.ok ? "SUCCEEDED" : "FAILED",
        consecutiveFailures: out.ok ? 0 : sql`${jobs.consecutiveFailures} + 1`,
        status: out.pause
          ? sql`(CASE WHEN ${jobs.status} = 'ACTIVE' THEN 'PAUSED' ELSE ${jobs.status} END)::scheduler."JobStatus"`
          : undefined,
        locked: false,
        lockExpiresAt: null,
        inputTokens: sql`${jobs.inputTokens} + ${out.tokens.input}`,
        outputTokens: sql`${jobs.outputTokens} + ${out.tokens.output}`,
        totalTokens: sql`${jobs.totalTokens} + ${out.tokens.total}`,
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.leaseOwner, runToken))),
  );
  items.push(releaseLease(db, jobs, eq(jobs.id, job.id), runToken));
  return items as [BatchItem<"pg">, ...BatchItem<"pg">[]];
}

export async function finishRun(env: AppEnv, run: StartedRun, out: RunOutcome): Promise<void> {
  const db = schedulerDb(env);
  await db.batch(finishRunStatements(db, run, out));
}
