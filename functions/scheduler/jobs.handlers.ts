import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, inArray } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { containsPattern } from "../../src/db/like";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes, unavailable } from "../../src/core/problem";
import { type SchedulerDb, schedulerDb } from "./db";
import { enqueueRuns } from "./jobs";
import type * as routes from "./jobs.routes";
import { contextJson, endpointJson, jobJson, messageJson, taskJson } from "./responses";
import { claimOneJob, releaseClaims } from "./runs.store";
import { isTimeZone, nextRun, ScheduleError, toCron } from "./schedule";
import { contextEntries, endpoints, type Job, type JobStatus, jobs, messages, tasks } from "./schema";
import { jobStatusTransitions } from "./validation";

const badField = (path: string, detail: string) =>
  new HttpProblem({ status: 400, type: problemTypes.validation, detail, errors: [{ path, message: detail }] });

/** The cron expression and next run for a definition and time zone; 400 saying what was not understood. */
export function understand(definitionNL: string, timezone: string, now = new Date()) {
  if (!isTimeZone(timezone)) throw badField("body.timezone", `"${timezone}" is not an IANA time zone (e.g. "Europe/Paris").`);
  try {
    const cronExpression = toCron(definitionNL);
    return { cronExpression, nextRunAt: nextRun(cronExpression, timezone, now) };
  } catch (err) {
    if (err instanceof ScheduleError) throw badField("body.definitionNL", err.message);
    throw err;
  }
}

export const createJob: RouteHandler<typeof routes.createJob> = async (c) => {
  const body = c.req.valid("json");
  const schedule = understand(body.definitionNL, body.timezone);
  const [job] = await schedulerDb(c.env)
    .insert(jobs)
    .values({
      definitionNL: body.definitionNL,
      timezone: body.timezone,
      status: body.status,
      llmModel: body.llmModel ?? null,
      userId: c.var.principal.subject,
      ...schedule,
    })
    .returning();
  c.header("Location", `/v1/scheduler/jobs/${job!.id}`);
  return c.json(jobJson(job!), 201);
};

const sortColumns = { createdAt: jobs.createdAt, updatedAt: jobs.updatedAt, definitionNL: jobs.definitionNL };

export const listJobs: RouteHandler<typeof routes.listJobs> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const rows = await schedulerDb(c.env)
    .select()
    .from(jobs)
    .where(
      and(eq(jobs.userId, c.var.principal.subject), q.searchQuery ? ilike(jobs.definitionNL, containsPattern(q.searchQuery)) : undefined),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(jobs.id))
    .limit(pageWindow(q).limit)
    .offset(pageWindow(q).offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(jobJson) }, 200);
};

const RECENT = 20;

export const getJob: RouteHandler<typeof routes.getJob> = async (c) => {
  const job = await schedulerDb(c.env).query.jobs.findFirst({
    where: and(eq(jobs.id, c.req.valid("param").id), eq(jobs.userId, c.var.principal.subject)),
    with: {
      endpoints: { orderBy: [asc(endpoints.createdAt), asc(endpoints.id)] },
      contextEntries: { orderBy: [asc(contextEntries.key)] },
      messages: { orderBy: [desc(messages.createdAt), desc(messages.id)], limit: RECENT },
      tasks: { orderBy: [desc(tasks.createdAt), desc(tasks.id)], limit: RECENT },
    },
  });
  if (!job) throw notFound("No such job.");
  return c.json(
    {
      ...jobJson(job),
      endpoints: job.endpoints.map(endpointJson),
      context: job.contextEntries.map(contextJson),
      recentMessages: job.messages.map(messageJson),
      recentTasks: job.tasks.map(taskJson),
    },
    200,
  );
};

const ownJob = (id: string, userId: string) => and(eq(jobs.id, id), eq(jobs.userId, userId));

async function readJob(db: SchedulerDb, id: string, userId: string): Promise<Job> {
  const [job] = await db.select().from(jobs).where(ownJob(id, userId)).limit(1);
  if (!job) throw notFound("No such job.");
  return job;
}

export const patchJob: RouteHandler<typeof routes.patchJob> = async (c) => {
  const body = c.req.valid("json");
  const { id } = c.req.valid("param");
  const userId = c.var.principal.subject;
  const db = schedulerDb(c.env);
  const set: PgUpdateSetSource<typeof jobs> = {};
  if (body.llmModel !== undefined) set.llmModel = body.llmModel;
  let guard = ownJob(id, userId);
  if (body.definitionNL !== undefined || body.timezone !== undefined) {
    // The schedule needs what is stored for the part not given: read, then write only if unchanged meanwhile.
    const job = await readJob(db, id, userId);
    const definitionNL = body.definitionNL ?? job.definitionNL;
    const timezone = body.timezone ?? job.timezone;
    Object.assign(set, { definitionNL, timezone, consecutiveFailures: 0, ...understand(definitionNL, timezone) });
    guard = and(guard, eq(jobs.definitionNL, job.definitionNL), eq(jobs.timezone, job.timezone));
  }
  if (!Object.keys(set).length) {
    const job = await readJob(db, id, userId);
    return c.json(jobJson(job), 200);
  }
  const [moved, current] = await db.batch([
    db
      .update(jobs)
      .set(set)
      .where(and(guard, inArray(jobs.status, ["ACTIVE", "PAUSED"])))
      .returning(),
    db.select({ status: jobs.status }).from(jobs).where(ownJob(id, userId)),
  ]);
  if (moved[0]) return c.json(jobJson(moved[0]), 200);
  if (!current[0]) throw notFound("No such job.");
  if (current[0].status === "ARCHIVED") throw conflict("An archived job cannot be changed.");
  throw conflict("The job's schedule changed meanwhile; read it again.");
};

export const deleteJob: RouteHandler<typeof routes.deleteJob> = async (c) => {
  const [gone] = await schedulerDb(c.env)
    .delete(jobs)
    .where(ownJob(c.req.valid("param").id, c.var.principal.subject))
    .returning({ id: jobs.id });
  if (!gone) throw notFound("No such job.");
  return c.body(null, 204);
};

/** One conditional UPDATE and, in the same batch, the job as it is — which tells 404 from 409. */
async function move(
  db: SchedulerDb,
  id: string,
  userId: string,
  to: JobStatus,
  set: PgUpdateSetSource<typeof jobs> = {},
  extra = eq(jobs.id, id),
) {
  const from = (Object.keys(jobStatusTransitions) as JobStatus[]).filter((s) => jobStatusTransitions[s].includes(to));
  const [moved, current] = await db.batch([
    db
      .update(jobs)
      .set({ ...set, status: to })
      .where(and(ownJob(id, userId), inArray(jobs.status, from), extra))
      .returning(),
    db.select({ status: jobs.status }).from(jobs).where(ownJob(id, userId)),
  ]);
  if (moved[0]) return jobJson(moved[0]);
  if (!current[0]) throw notFound("No such job.");
  throw conflict(`A job that is ${current[0].status} cannot become ${to}.`);
}

export const pauseJob: RouteHandler<typeof routes.pauseJob> = async (c) =>
  c.json(await move(schedulerDb(c.env), c.req.valid("param").id, c.var.principal.subject, "PAUSED"), 200);

export const archiveJob: RouteHandler<typeof routes.archiveJob> = async (c) =>
  c.json(await move(schedulerDb(c.env), c.req.valid("param").id, c.var.principal.subject, "ARCHIVED"), 200);

export const resumeJob: RouteHandler<typeof routes.resumeJob> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = c.var.principal.subject;
  const db = schedulerDb(c.env);
  const job = await readJob(db, id, userId);
  if (job.status !== "PAUSED") throw conflict(`A job that is ${job.status} cannot become ACTIVE.`);
  const schedule = understand(job.definitionNL, job.timezone);
  return c.json(
    await move(
      db,
      id,
      userId,
      "ACTIVE",
      { ...schedule, consecutiveFailures: 0 },
      and(eq(jobs.definitionNL, job.definitionNL), eq(jobs.timezone, job.timezone)),
    ),
    200,
  );
};

export const runJob: RouteHandler<typeof routes.runJob> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = c.var.principal.subject;
  const { token, rows } = await claimOneJob(c.env, userId, id);
  if (!rows.length) {
    const [job] = await schedulerDb(c.env).select({ status: jobs.status }).from(jobs).where(ownJob(id, userId));
    if (!job) throw notFound("No such job.");
    throw conflict(job.status === "ARCHIVED" ? "An archived job cannot run." : "A run holds this job right now.");
  }
  const refused = await enqueueRuns(c.env, [id], token, c.get("logger"));
  if (refused.length) {
    await releaseClaims(c.env, refused, token);
    throw unavailable("The run could not be queued; try again.", 10);
  }
  return c.json({ jobId: id, runId: token }, 202);
};
