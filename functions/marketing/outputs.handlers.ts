import { location } from "../../src/http/location";
import type { AppRouteHandler } from "../../src/http/router";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { and, eq, getTableColumns, inArray } from "drizzle-orm";
import { errorFields } from "../../src/core/logger";
import { createCache } from "../../src/cache/client";
import type { AppEnv } from "../../src/env";
import { HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { marketingDb } from "./db";
import { contentTypes, MAX_OUTPUT_BYTES, recallRunKeyParts, rememberRunKeyParts } from "./output-storage";
import { insertPendingOutput, isStored, markStored, putOutputObject } from "./output-store";
import type * as routes from "./outputs.routes";
import { storedContentHeaders } from "./served-content";
import { clients, feedback, outputs, runs, skills } from "./schema";
import { outputJson } from "./shapes";

const noRun = () => notFound("No such run.");

export const createOutput: AppRouteHandler<typeof routes.createOutput> = async (c) => {
  const { id: runId } = c.req.valid("param");
  const { format, title, content } = c.req.valid("json");
  const bytes = new TextEncoder().encode(content);
  if (bytes.byteLength > MAX_OUTPUT_BYTES) {
    throw new HttpProblem({
      status: 413,
      type: problemTypes.tooLarge,
      detail: `The content is ${bytes.byteLength} bytes; at most ${MAX_OUTPUT_BYTES} are accepted.`,
      errors: [{ path: "body.content", message: `at most ${MAX_OUTPUT_BYTES} bytes` }],
    });
  }
  if (format === "json") {
    try {
      JSON.parse(content);
    } catch {
      throw new HttpProblem({
        status: 400,
        type: problemTypes.validation,
        detail: "The content is not valid JSON.",
        errors: [{ path: "body.content", message: "must be valid JSON when format is json" }],
      });
    }
  }
  const userId = c.var.principal.subject;
  const cache = createCache(c.env, c.get("logger"));
  const db = marketingDb(c.env);

  // The key needs the run's skill and client. createRun caches them; only on a miss does this route read
  // the run first (a second Postgres round trip, on the cold path only).
  let parts = await recallRunKeyParts(cache, runId);
  if (!parts) {
    const [row] = await db
      .select({ userId: runs.userId, skill: skills.name, client: clients.slug })
      .from(runs)
      .innerJoin(skills, eq(skills.id, runs.skillId))
      .leftJoin(clients, eq(clients.id, runs.clientId))
      .where(and(eq(runs.id, runId), eq(runs.userId, userId)));
    if (!row) throw noRun();
    parts = row;
    await rememberRunKeyParts(cache, runId, row);
  }
  if (parts.userId !== userId) throw noRun();

  // Row pending → object → row stored (output-store.ts): a failure between the steps leaves a pending row
  // the sweep removes, never an orphaned object of a live row nor a live row without its object.
  const pending = await insertPendingOutput(db, runId, userId, parts, { format, title, content });
  if (!pending) throw noRun();
  await putOutputObject(c.env, pending.row, pending.bytes);
  const [row] = await markStored(db, pending.row.id);
  if (!row) throw notFound("The output was removed while it was being written.");
  c.header("Location", location(c, `/outputs/${row.id}`));
  return c.json(outputJson(row), 201);
};

async function outputOf(env: AppEnv, id: string | { key: string }, userId: string) {
  const [row] = await marketingDb(env)
    .select(getTableColumns(outputs))
    .from(outputs)
    .innerJoin(runs, eq(runs.id, outputs.runId))
    .where(and(typeof id === "string" ? eq(outputs.id, id) : eq(outputs.s3Key, id.key), eq(runs.userId, userId), isStored));
  if (!row) throw notFound("No such output.");
  return row;
}

export const getOutput: AppRouteHandler<typeof routes.getOutput> = async (c) =>
  c.json(outputJson(await outputOf(c.env, c.req.valid("param").id, c.var.principal.subject)), 200);

export const getOutputContent: AppRouteHandler<typeof routes.getOutputContent> = async (c) => {
  const output = await outputOf(c.env, c.req.valid("param").id, c.var.principal.subject);
  const object = await withDeadline(c.env.FILES.get(output.s3Key), deadlines(c.env).r2Ms, "file store");
  if (!object) {
    c.get("logger").error("output content missing from R2", { outputId: output.id, key: output.s3Key });
    throw notFound("The output's content is missing from storage.");
  }
  return c.body(
    object.body,
    200,
    storedContentHeaders({
      contentType: contentTypes[output.format],
      size: object.size,
      etag: object.httpEtag,
      filename: `${output.id}.${output.s3Key.slice(output.s3Key.lastIndexOf(".") + 1)}`,
    }),
  );
};

export const getOutputByKey: AppRouteHandler<typeof routes.getOutputByKey> = async (c) =>
  c.json(outputJson(await outputOf(c.env, { key: c.req.valid("query").key }, c.var.principal.subject)), 200);

export const deleteOutput: AppRouteHandler<typeof routes.deleteOutput> = async (c) => {
  const { id } = c.req.valid("param");
  const db = marketingDb(c.env);
  const mine = and(
    eq(outputs.id, id),
    inArray(outputs.runId, db.select({ id: runs.id }).from(runs).where(eq(runs.userId, c.var.principal.subject))),
  );
  // One round trip: the feedback (which references the row) and the row go together.
  const [, gone] = await db.batch([
    db.delete(feedback).where(inArray(feedback.outputId, db.select({ id: outputs.id }).from(outputs).where(mine))),
    db.delete(outputs).where(mine).returning({ key: outputs.s3Key }),
  ]);
  if (!gone[0]) throw notFound("No such output.");
  try {
    await withDeadline(c.env.FILES.delete(gone[0].key), deadlines(c.env).r2Ms, "file store");
  } catch (err) {
    c.get("logger").error("could not remove a deleted output's object; it is left orphaned", { key: gone[0].key, ...errorFields(err) });
  }
  return c.body(null, 204);
};
