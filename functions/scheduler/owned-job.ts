import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, exists, sql } from "drizzle-orm";
import { notFound } from "../../src/core/problem";
import type { SchedulerDb } from "./db";
import { jobs } from "./schema";

/** SQL: the job is the user's. */
export const ownsJob = (db: SchedulerDb, jobId: string, userId: string) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.userId, userId))),
  );

/**
 * The rows of one of a job's child tables (endpoints, context, messages, tasks) in one `db.batch` with the owner check,
 * so an unknown job and another user's job both answer 404 and an empty list still proves the job exists.
 * `rows` must itself be scoped with `ownsJob` (it runs in the same batch, not after the check).
 */
export async function rowsOfOwnedJob<Q extends BatchItem<"pg">>(
  db: SchedulerDb,
  jobId: string,
  userId: string,
  rows: Q,
): Promise<Awaited<Q>> {
  const [job, result] = await db.batch([
    db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.userId, userId))),
    rows,
  ]);
  if (!job.length) throw notFound("No such job.");
  return result as Awaited<Q>;
}
