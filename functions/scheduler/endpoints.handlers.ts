import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { notFound } from "../../src/core/problem";
import type { AppEnv } from "../../src/env";
import { outboundAllowList } from "../../src/core/config";
import { assertPublicUrl } from "../../src/core/url-guard";
import { type SchedulerDb, schedulerDb } from "./db";
import { sealSecrets } from "./endpoint-secrets";
import { ownsJob, rowsOfOwnedJob } from "./owned-job";
import type * as routes from "./endpoints.routes";
import { endpointJson } from "./responses";
import { endpoints, jobs } from "./schema";

/** The outbound-URL guard, with the problem pointing at the body field. */
function guardUrl(env: AppEnv, url: string) {
  try {
    assertPublicUrl(url, { allowHosts: outboundAllowList(env) });
  } catch (err) {
    if (err && typeof err === "object" && "errors" in err)
      (err as { errors?: { path: string }[] }).errors?.forEach((e) => {
        e.path = "body.url";
      });
    throw err;
  }
}

const ownEndpoint = (db: SchedulerDb, p: { jobId: string; endpointId: string }, userId: string) =>
  and(eq(endpoints.id, p.endpointId), eq(endpoints.jobId, p.jobId), ownsJob(db, p.jobId, userId));

export const createEndpoint: RouteHandler<typeof routes.createEndpoint> = async (c) => {
  const { jobId } = c.req.valid("param");
  const { bearerToken, secretHeaders, ...body } = c.req.valid("json");
  guardUrl(c.env, body.url);
  const id = crypto.randomUUID();
  const secrets = await sealSecrets(c.env, id, { bearerToken, secretHeaders });
  const db = schedulerDb(c.env);
  const [created] = await db
    .insert(endpoints)
    .select(
      db
        .select(selectRow(endpoints, { id, jobId, ...body, body: body.body ?? null, ...secrets }))
        .from(jobs)
        .where(and(eq(jobs.id, jobId), eq(jobs.userId, c.var.principal.subject))),
    )
    .returning();
  if (!created) throw notFound("No such job.");
  c.header("Location", `/v1/scheduler/jobs/${jobId}/endpoints/${id}`);
  return c.json(endpointJson(created), 201);
};

export const listEndpoints: RouteHandler<typeof routes.listEndpoints> = async (c) => {
  const { jobId } = c.req.valid("param");
  const db = schedulerDb(c.env);
  const userId = c.var.principal.subject;
  const rows = await rowsOfOwnedJob(
    db,
    jobId,
    userId,
    db
      .select()
      .from(endpoints)
      .where(and(eq(endpoints.jobId, jobId), ownsJob(db, jobId, userId)))
      .orderBy(asc(endpoints.createdAt), asc(endpoints.id))
      .limit(100),
  );
  return c.json({ items: rows.map(endpointJson) }, 200);
};

export const getEndpoint: RouteHandler<typeof routes.getEndpoint> = async (c) => {
  const db = schedulerDb(c.env);
  const [row] = await db
    .select()
    .from(endpoints)
    .where(ownEndpoint(db, c.req.valid("param"), c.var.principal.subject))
    .limit(1);
  if (!row) throw notFound("No such endpoint.");
  return c.json(endpointJson(row), 200);
};

export const patchEndpoint: RouteHandler<typeof routes.patchEndpoint> = async (c) => {
  const p = c.req.valid("param");
  const { bearerToken, secretHeaders, ...body } = c.req.valid("json");
  if (body.url !== undefined) guardUrl(c.env, body.url);
  const secrets = await sealSecrets(c.env, p.endpointId, { bearerToken, secretHeaders });
  const db = schedulerDb(c.env);
  const [row] = await db
    .update(endpoints)
    .set({ ...body, ...secrets, updatedAt: sql`now()` })
    .where(ownEndpoint(db, p, c.var.principal.subject))
    .returning();
  if (!row) throw notFound("No such endpoint.");
  return c.json(endpointJson(row), 200);
};

export const deleteEndpoint: RouteHandler<typeof routes.deleteEndpoint> = async (c) => {
  const db = schedulerDb(c.env);
  const [gone] = await db
    .delete(endpoints)
    .where(ownEndpoint(db, c.req.valid("param"), c.var.principal.subject))
    .returning({ id: endpoints.id });
  if (!gone) throw notFound("No such endpoint.");
  return c.body(null, 204);
};
