import type { AppRouteHandler } from "../../src/http/router";
import { and, avg, count, eq, getTableColumns, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { orderAndPage, pageOf, pageWindow } from "../../src/http/pagination";
import { selectRow } from "../../src/db/insert-select";
import { conflictOnDuplicate } from "../../src/http/conflicts";
import { location } from "../../src/http/location";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { marketingDb } from "./db";
import type * as routes from "./feedback.routes";
import { isStored } from "./output-store";
import { feedback, outputs, runs, skills } from "./schema";
import { feedbackJson } from "./shapes";

export const createFeedback: AppRouteHandler<typeof routes.createFeedback> = async (c) => {
  const outputId = c.req.valid("param").id;
  const body = c.req.valid("json");
  const db = marketingDb(c.env);
  // Inserted only when the output belongs to one of the caller's runs; the unique index makes a second one 409.
  const [row] = await conflictOnDuplicate(
    db
      .insert(feedback)
      .select(
        db
          .select(selectRow(feedback, { ...body, outputId: outputs.id }))
          .from(outputs)
          .innerJoin(runs, eq(runs.id, outputs.runId))
          .where(and(eq(outputs.id, outputId), eq(runs.userId, c.var.principal.subject), isStored)),
      )
      .returning(),
    () => conflict("This output already has feedback."),
  );
  if (!row) throw notFound("No such output.");
  c.header("Location", location(c, `/outputs/${outputId}/feedback`));
  return c.json(feedbackJson(row), 201);
};

export const getFeedback: AppRouteHandler<typeof routes.getFeedback> = async (c) => {
  const [row] = await marketingDb(c.env)
    .select(getTableColumns(feedback))
    .from(feedback)
    .innerJoin(outputs, eq(outputs.id, feedback.outputId))
    .innerJoin(runs, eq(runs.id, outputs.runId))
    .where(and(eq(feedback.outputId, c.req.valid("param").id), eq(runs.userId, c.var.principal.subject)));
  if (!row) throw notFound("No feedback on this output.");
  return c.json(feedbackJson(row), 200);
};

const num = (v: string | null) => (v === null ? null : Number(v));

export const feedbackSummary: AppRouteHandler<typeof routes.feedbackSummary> = async (c) => {
  const { name } = c.req.valid("param");
  const { days } = c.req.valid("query");
  const since = new Date(Date.now() - days * 86_400_000);
  // The seed's query, scoped to the caller's runs, plus the count and whether the skill exists at all.
  const [row] = await marketingDb(c.env)
    .select({
      avgOverall: avg(feedback.overallScore),
      avgAccuracy: avg(feedback.accuracyScore),
      avgQuality: avg(feedback.qualityScore),
      avgUsefulness: avg(feedback.usefulnessScore),
      count: count(feedback.id),
      skillExists: sql<boolean>`exists (select 1 from ${skills} where ${skills.name} = ${name})`,
    })
    .from(feedback)
    .innerJoin(outputs, eq(outputs.id, feedback.outputId))
    .innerJoin(runs, eq(runs.id, outputs.runId))
    .innerJoin(skills, eq(skills.id, runs.skillId))
    .where(and(eq(skills.name, name), eq(runs.userId, c.var.principal.subject), gte(feedback.createdAt, since)));
  if (!row?.skillExists) throw notFound("No skill has this name.");
  return c.json(
    {
      skill: name,
      days,
      since: since.toISOString(),
      count: row.count,
      avgOverall: num(row.avgOverall),
      avgAccuracy: num(row.avgAccuracy),
      avgQuality: num(row.avgQuality),
      avgUsefulness: num(row.avgUsefulness),
    },
    200,
  );
};

export const listFeedback: AppRouteHandler<typeof routes.listFeedback> = async (c) => {
  const q = c.req.valid("query");
  if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "minScore is above maxScore.",
      errors: [{ path: "query.minScore", message: "must not be above maxScore" }],
    });
  }
  const db = marketingDb(c.env);
  const rows = await db
    .select(getTableColumns(feedback))
    .from(feedback)
    .innerJoin(outputs, eq(outputs.id, feedback.outputId))
    .innerJoin(runs, eq(runs.id, outputs.runId))
    .where(
      and(
        eq(runs.userId, c.var.principal.subject),
        q.minScore === undefined ? undefined : gte(feedback.overallScore, q.minScore),
        q.maxScore === undefined ? undefined : lte(feedback.overallScore, q.maxScore),
        q.from ? gte(feedback.createdAt, new Date(q.from)) : undefined,
        q.to ? lt(feedback.createdAt, new Date(q.to)) : undefined,
        q.skill ? inArray(runs.skillId, db.select({ id: skills.id }).from(skills).where(eq(skills.name, q.skill))) : undefined,
      ),
    )
    .orderBy(...orderAndPage(q, { createdAt: feedback.createdAt, overallScore: feedback.overallScore }, feedback.id).orderBy)
    .limit(pageWindow(q).limit)
    .offset(pageWindow(q).offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(feedbackJson) }, 200);
};
