import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { notFound } from "../../src/core/problem";
import type * as routes from "./context.routes";
import { schedulerDb } from "./db";
import { ownsJob, rowsOfOwnedJob } from "./owned-job";
import { contextJson } from "./responses";
import { contextEntries, jobs } from "./schema";

export const listContext: RouteHandler<typeof routes.listContext> = async (c) => {
  const { jobId } = c.req.valid("param");
  const db = schedulerDb(c.env);
  const userId = c.var.principal.subject;
  const rows = await rowsOfOwnedJob(
    db,
    jobId,
    userId,
    db
      .select()
      .from(contextEntries)
      .where(and(eq(contextEntries.jobId, jobId), ownsJob(db, jobId, userId)))
      .orderBy(asc(contextEntries.key))
      .limit(1000),
  );
  return c.json({ items: rows.map(contextJson) }, 200);
};

export const putContext: RouteHandler<typeof routes.putContext> = async (c) => {
  const { jobId, key } = c.req.valid("param");
  const { value } = c.req.valid("json");
  const db = schedulerDb(c.env);
  // INSERT … SELECT from the caller's job, upserting by (jobId, key); xmax = 0 tells an insert from an update.
  const [row] = await db
    .insert(contextEntries)
    .select(
      db
        .select(
          selectRow(contextEntries, { id: sql`gen_random_uuid()::text`, jobId, key, value, createdAt: sql`now()`, updatedAt: sql`now()` }),
        )
        .from(jobs)
        .where(and(eq(jobs.id, jobId), eq(jobs.userId, c.var.principal.subject))),
    )
    .onConflictDoUpdate({
      target: [contextEntries.jobId, contextEntries.key],
      set: { value: sql`excluded."value"`, updatedAt: sql`now()` },
    })
    .returning({
      key: contextEntries.key,
      value: contextEntries.value,
      createdAt: contextEntries.createdAt,
      updatedAt: contextEntries.updatedAt,
      inserted: sql<boolean>`(xmax = 0)`,
    });
  if (!row) throw notFound("No such job.");
  const entry = contextJson(row);
  return row.inserted ? c.json(entry, 201) : c.json(entry, 200);
};

export const deleteContext: RouteHandler<typeof routes.deleteContext> = async (c) => {
  const { jobId, key } = c.req.valid("param");
  const db = schedulerDb(c.env);
  const [gone] = await db
    .delete(contextEntries)
    .where(and(eq(contextEntries.jobId, jobId), eq(contextEntries.key, key), ownsJob(db, jobId, c.var.principal.subject)))
    .returning({ id: contextEntries.id });
  if (!gone) throw notFound("No such context entry.");
  return c.body(null, 204);
};
