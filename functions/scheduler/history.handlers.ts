import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, gte, lte, type SQLWrapper, sql } from "drizzle-orm";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { HttpProblem, problemTypes } from "../../src/core/problem";
import { schedulerDb } from "./db";
import { ownsJob, rowsOfOwnedJob } from "./owned-job";
import type * as routes from "./history.routes";
import { messageJson, taskJson } from "./responses";
import { jobs, jobUsage, messages, tasks } from "./schema";

export const listMessages: RouteHandler<typeof routes.listMessages> = async (c) => {
  const { jobId } = c.req.valid("param");
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const db = schedulerDb(c.env);
  const userId = c.var.principal.subject;
  const rows = await rowsOfOwnedJob(
    db,
    jobId,
    userId,
    db
      .select()
      .from(messages)
      .where(and(eq(messages.jobId, jobId), ownsJob(db, jobId, userId)))
      .orderBy(dir(messages.createdAt), dir(messages.id))
      .limit(pageWindow(q).limit)
      .offset(pageWindow(q).offset),
  );
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(messageJson) }, 200);
};

export const listTasks: RouteHandler<typeof routes.listTasks> = async (c) => {
  const { jobId } = c.req.valid("param");
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const db = schedulerDb(c.env);
  const userId = c.var.principal.subject;
  const rows = await rowsOfOwnedJob(
    db,
    jobId,
    userId,
    db
      .select()
      .from(tasks)
      .where(and(eq(tasks.jobId, jobId), ownsJob(db, jobId, userId)))
      .orderBy(dir(tasks.createdAt), dir(tasks.id))
      .limit(pageWindow(q).limit)
      .offset(pageWindow(q).offset),
  );
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(taskJson) }, 200);
};

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export const getUsage: RouteHandler<typeof routes.getUsage> = async (c) => {
  const q = c.req.valid("query");
  const to = q.to ?? isoDay(new Date());
  const from = q.from ?? isoDay(new Date(Date.parse(to) - 30 * DAY_MS));
  if (from > to)
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "`from` is after `to`.",
      errors: [{ path: "query.from", message: "after `to`" }],
    });
  if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "At most 366 days at once.",
      errors: [{ path: "query.from", message: "range longer than 366 days" }],
    });
  }
  const db = schedulerDb(c.env);
  const where = and(
    gte(jobUsage.day, from),
    lte(jobUsage.day, to),
    q.jobId ? eq(jobUsage.jobId, q.jobId) : undefined,
    sql`${jobUsage.jobId} IN (SELECT ${jobs.id} FROM ${jobs} WHERE ${jobs.userId} = ${c.var.principal.subject})`,
  );
  const sum = (col: SQLWrapper) => sql<number>`sum(${col})::int`.mapWith(Number);
  const [days, perJob] = await db.batch([
    db.select().from(jobUsage).where(where).orderBy(desc(jobUsage.day), asc(jobUsage.jobId)).limit(5000),
    db
      .select({
        jobId: jobUsage.jobId,
        runs: sum(jobUsage.runs),
        inputTokens: sum(jobUsage.inputTokens),
        outputTokens: sum(jobUsage.outputTokens),
        totalTokens: sum(jobUsage.totalTokens),
      })
      .from(jobUsage)
      .where(where)
      .groupBy(jobUsage.jobId)
      .orderBy(asc(jobUsage.jobId)),
  ]);
  return c.json({ from, to, days, jobs: perJob }, 200);
};
