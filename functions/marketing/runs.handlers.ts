import type { AppRouteHandler } from "../../src/http/router";
import { and, asc, eq, exists, ilike, inArray, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { selectRow } from "../../src/db/insert-select";
import { containsPattern } from "../../src/db/like";
import type { AppEnv } from "../../src/env";
import { location } from "../../src/http/location";
import { orderAndPage, pageOf } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { type MarketingDb, marketingDb } from "./db";
import { rememberRunKeyParts } from "./output-storage";
import { isStored } from "./output-store";
import type * as routes from "./runs.routes";
import { clients, outputs, type RunStatus, runStatuses, runs, skills } from "./schema";
import { runJson } from "./shapes";
import { canMoveRun } from "./validation";
import { EXECUTE_RUN_JOB, queueExecution } from "./jobs";

const invalidReference = (path: string, detail: string) =>
  new HttpProblem({ status: 422, type: problemTypes.invalidReference, detail, errors: [{ path, message: "references nothing of yours" }] });

export const createRun: AppRouteHandler<typeof routes.createRun> = async (c) => {
  const body = c.req.valid("json");
  const userId = c.var.principal.subject;
  const db = marketingDb(c.env);
  const id = crypto.randomUUID();
  const jobId = body.execute ? crypto.randomUUID() : undefined;
  const ownsClient = body.clientId
    ? exists(
        db
          .select({ one: sql`1` })
          .from(clients)
          .where(and(eq(clients.id, body.clientId), eq(clients.userId, userId))),
      )
    : undefined;
  // One round trip: the insert happens only if the skill exists and the client is the caller's; the second
  // statement of the batch says which reference failed when it did not.
  const [inserted, refs] = await db.batch([
    db
      .insert(runs)
      .select(
        db
          .select(
            selectRow(runs, {
              id,
              userId,
              skillId: skills.id,
              clientId: body.clientId,
              userMessage: body.userMessage,
              inngestEventId: jobId,
              metadata: body.metadata === undefined ? undefined : JSON.stringify(body.metadata),
            }),
          )
          .from(skills)
          .where(and(eq(skills.name, body.skill), ownsClient)),
      )
      .returning(),
    db
      .select({
        skillId: skills.id,
        client: sql<
          string | null
        >`(select ${clients.slug} from ${clients} where ${clients.id} = ${body.clientId ?? null} and ${clients.userId} = ${userId})`,
      })
      .from(skills)
      .where(eq(skills.name, body.skill)),
  ]);
  const run = inserted[0];
  if (!run) {
    if (!refs[0]) throw invalidReference("body.skill", "No skill has this name.");
    throw invalidReference("body.clientId", "No client of yours has this id.");
  }
  await rememberRunKeyParts(createCache(c.env, c.get("logger")), run.id, { userId, skill: body.skill, client: refs[0]?.client ?? null });
  if (jobId) await queueExecution(c.env, c.executionCtx, { job: EXECUTE_RUN_JOB, runId: run.id, jobId }, c.get("logger"));
  c.header("Location", location(c, `/runs/${run.id}`));
  return c.json(runJson(run, body.skill, []), 201);
};

const withOutputs = {
  outputs: { where: isStored, orderBy: [asc(outputs.createdAt), asc(outputs.id)] },
  skill: { columns: { name: true as const } },
};

const runOf = (db: MarketingDb, id: string, userId: string) =>
  db.query.runs.findFirst({ where: and(eq(runs.id, id), eq(runs.userId, userId)), with: withOutputs });

const sortColumns = { queuedAt: runs.queuedAt, startedAt: runs.startedAt, completedAt: runs.completedAt, status: runs.status };

export const listRuns: AppRouteHandler<typeof routes.listRuns> = async (c) => {
  const q = c.req.valid("query");
  const db = marketingDb(c.env);
  const rows = await db.query.runs.findMany({
    where: and(
      eq(runs.userId, c.var.principal.subject),
      q.status ? eq(runs.status, q.status) : undefined,
      q.skill ? inArray(runs.skillId, db.select({ id: skills.id }).from(skills).where(eq(skills.name, q.skill))) : undefined,
      q.q ? ilike(runs.userMessage, containsPattern(q.q)) : undefined,
    ),
    with: withOutputs,
    ...orderAndPage(q, sortColumns, runs.id),
  });
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map((r) => runJson(r, r.skill.name, r.outputs)) }, 200);
};

export const getRun: AppRouteHandler<typeof routes.getRun> = async (c) => {
  const run = await runOf(marketingDb(c.env), c.req.valid("param").id, c.var.principal.subject);
  if (!run) throw notFound("No such run.");
  return c.json(runJson(run, run.skill.name, run.outputs), 200);
};

/**
 * One round trip: a conditional UPDATE (only from the statuses that may move to `to`), then, in the same
 * batch, the run as it now is — which also tells a missing run (404) from a run in the wrong status (409).
 */
async function move(env: AppEnv, userId: string, id: string, to: RunStatus, set: PgUpdateSetSource<typeof runs>, action: string) {
  const db = marketingDb(env);
  const from = runStatuses.filter((s) => canMoveRun(s, to));
  const [moved, run] = await db.batch([
    db
      .update(runs)
      .set({ ...set, status: to })
      .where(and(eq(runs.id, id), eq(runs.userId, userId), inArray(runs.status, from)))
      .returning({ id: runs.id }),
    runOf(db, id, userId),
  ]);
  if (!run) throw notFound("No such run.");
  if (moved.length === 0) throw conflict(`Cannot ${action} a run that is ${run.status}.`);
  return runJson(run, run.skill.name, run.outputs);
}

// The database clock, like queued_at's default, so queuedAt ≤ startedAt ≤ completedAt holds.
const now = sql`now()`;

export const startRun: AppRouteHandler<typeof routes.startRun> = async (c) =>
  c.json(await move(c.env, c.var.principal.subject, c.req.valid("param").id, "running", { startedAt: now }, "start"), 200);

export const completeRun: AppRouteHandler<typeof routes.completeRun> = async (c) => {
  const { tokensInput, tokensOutput } = c.req.valid("json");
  return c.json(
    await move(
      c.env,
      c.var.principal.subject,
      c.req.valid("param").id,
      "completed",
      { completedAt: now, tokensInput, tokensOutput },
      "complete",
    ),
    200,
  );
};

export const failRun: AppRouteHandler<typeof routes.failRun> = async (c) => {
  const { errorMessage } = c.req.valid("json");
  return c.json(
    await move(c.env, c.var.principal.subject, c.req.valid("param").id, "failed", { completedAt: now, errorMessage }, "fail"),
    200,
  );
};

export const cancelRun: AppRouteHandler<typeof routes.cancelRun> = async (c) =>
  c.json(await move(c.env, c.var.principal.subject, c.req.valid("param").id, "cancelled", { completedAt: now }, "cancel"), 200);

/** Gives a queued run a new job id (superseding any earlier job) and queues that job; one conditional UPDATE batched with the read-back. */
export const executeRun: AppRouteHandler<typeof routes.executeRun> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = c.var.principal.subject;
  const db = marketingDb(c.env);
  const jobId = crypto.randomUUID();
  const [moved, run] = await db.batch([
    db
      .update(runs)
      .set({ inngestEventId: jobId })
      .where(and(eq(runs.id, id), eq(runs.userId, userId), eq(runs.status, "queued")))
      .returning({ id: runs.id }),
    runOf(db, id, userId),
  ]);
  if (!run) throw notFound("No such run.");
  if (moved.length === 0) throw conflict(`Cannot execute a run that is ${run.status}.`);
  await queueExecution(c.env, c.executionCtx, { job: EXECUTE_RUN_JOB, runId: id, jobId }, c.get("logger"));
  return c.json(runJson({ ...run, inngestEventId: jobId }, run.skill.name, run.outputs), 202);
};
