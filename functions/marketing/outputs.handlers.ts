import { location } from "../../src/http/location";
import type { AppRouteHandler } from "../../src/http/router";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { and, eq, getTableColumns } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import type { AppEnv } from "../../src/env";
import { HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { marketingDb } from "./db";
import { contentTypes, MAX_OUTPUT_BYTES, recallRunKeyParts, rememberRunKeyParts } from "./output-storage";
import { insertPendingOutput, isStored, markStored, putOutputObject } from "./output-store";
import type * as routes from "./outputs.routes";
import { clients, outputs, runs, skills } from "./schema";
import { outputJson } from "./shapes";

const noRun = () => notFound("No such run.");

export const createOutput: AppRouteHandler<typeof routes.createOutput> = async (c) => {
  const { id: runId } = c.req.valid("param");
  const { format, title, content } = c.req.valid("json");
  const bytes = new TextEncoder().encode(content);
  if (bytes.byteLength > MAX_OUTPUT_BYTES) {
    throw new HttpProblem({ status: 413, type: problemTypes.tooLarge, detail: `The content is ${bytes.byteLength} bytes; at most ${MAX_OUTPUT_BYTES} are accepted.`, errors: [{ path: "body.content", message: `at most ${MAX_OUTPUT_BYTES} bytes` }] });
  }
  if (format === "json") {
    try { JSON.parse(content); } catch {
      throw new HttpProblem({ status: 400, type: problemTypes.validation, detail: "The content is not valid JSON.", errors: [{ path: "body.content", message: "must be valid JSON when format is json" }] });
    }
  }
  const userId = c.var.principal.subject;
  const cache = createCache(c.env, c.get("logger"));
  const db = marketingDb(c.env);

  // The key needs the run's skill and client. createRun caches them; only on a miss does this route read
  // the run first (a second Postgres round trip, on the cold path only).
  let parts = await recallRunKeyParts(cache, runId);
  if (!parts) {
    const [row] = await db.select({ userId: runs.userId, skill: skills.name, client: clients.slug })
      .from(runs).innerJoin(skills, eq(skills.id, runs.skillId)).leftJoin(clients, eq(clients.id, runs.clientId))
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

async function outputOf(env: AppEnv, id: string, userId: string) {
  const [row] = await marketingDb(env).select(getTableColumns(outputs)).from(outputs)
    .innerJoin(runs, eq(runs.id, outputs.runId))
    .where(and(eq(outputs.id, id), eq(runs.userId, userId), isStored));
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
  return c.body(object.body, 200, {
    "Content-Type": contentTypes[output.format],
    "Content-Length": String(object.size),
    ETag: object.httpEtag,
    "Cache-Control": "private, no-cache",
  });
};
