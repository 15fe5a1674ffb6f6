import type { AppRouteHandler } from "../../src/http/router";
import { and, asc, desc, eq, exists, inArray, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { userIdOf } from "./auth";
import { searchFieldIssues } from "./campaigns.routes";
import { influencerConfig } from "./config";
import { influencerDb } from "./db";
import type * as routes from "./jobs.routes";
import { newJob, ownCampaign, ownJob } from "./jobs.store";
import { jobJson } from "./responses";
import { campaigns, type ScrapingJob, scrapingJobs, scrapingResults } from "./schema";
import { runStep } from "./steps";
import { configDeps, loadSettings } from "./system-config";
import { sendStep } from "./transport";

export const createJob: AppRouteHandler<typeof routes.createJob> = async (c) => {
  const { id: campaignId } = c.req.valid("param");
  const input = c.req.valid("json");
  const userId = userIdOf(c);
  const searchType = input.keywords ? "keyword" : "similar";
  if ((input.keywords === undefined) === (input.targetUsername === undefined)) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "Give either `keywords` (keyword search) or `targetUsername` (similar search).",
      errors: [{ path: "body.keywords", message: "exactly one of keywords and targetUsername" }],
    });
  }
  const job = newJob(await loadSettings(configDeps(c)), influencerConfig(c.env), userId, campaignId, input);
  const db = influencerDb(c.env);
  const fits = and(ownCampaign(campaignId, userId), eq(campaigns.searchType, searchType), inArray(campaigns.status, ["draft", "active"]));
  // One transaction: the job only if the campaign is the caller's, open and of this search type; a draft campaign
  // becomes active; then the campaign as it is, which tells 404, 409 and 422 apart when nothing was inserted.
  const [inserted, , [campaign]] = await db.batch([
    db
      .insert(scrapingJobs)
      .select(db.select(selectRow(scrapingJobs, job)).from(campaigns).where(fits))
      .returning(),
    db
      .update(campaigns)
      .set({ status: "active" })
      .where(
        and(
          eq(campaigns.id, campaignId),
          eq(campaigns.status, "draft"),
          exists(db.select({ one: sql`1` }).from(scrapingJobs).where(eq(scrapingJobs.id, job.id))),
        ),
      ),
    db.select({ searchType: campaigns.searchType, status: campaigns.status }).from(campaigns).where(ownCampaign(campaignId, userId)),
  ]);
  const row = inserted[0];
  if (!row) {
    if (!campaign) throw notFound("No such campaign.");
    if (campaign.status === "completed" || campaign.status === "archived")
      throw conflict(`The campaign is ${campaign.status}; it takes no new jobs.`);
    const issues = searchFieldIssues(campaign.searchType, input, ["body"]);
    throw new HttpProblem({
      status: 422,
      type: problemTypes.invalidReference,
      detail: `The campaign is a ${campaign.searchType} search.`,
      errors: issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  await sendStep(c.env, { jobId: row.id, cursor: 0 }, c.get("logger"));
  c.header("Location", `/v1/influencer/jobs/${row.id}`);
  return c.json(jobJson(row), 201);
};

const sortColumns = { createdAt: scrapingJobs.createdAt, updatedAt: scrapingJobs.updatedAt, status: scrapingJobs.status };

export const listJobs: AppRouteHandler<typeof routes.listJobs> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const dir = q.sortDirection === "asc" ? asc : desc;
  const [[campaign], rows] = await db.batch([
    db.select({ id: campaigns.id }).from(campaigns).where(ownCampaign(id, userId)),
    db
      .select()
      .from(scrapingJobs)
      .where(
        and(eq(scrapingJobs.campaignId, id), eq(scrapingJobs.userId, userId), q.status ? eq(scrapingJobs.status, q.status) : undefined),
      )
      .orderBy(dir(sortColumns[q.sortBy]), dir(scrapingJobs.id))
      .limit(pageWindow(q).limit)
      .offset(pageWindow(q).offset),
  ]);
  if (!campaign) throw notFound("No such campaign.");
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(jobJson) }, 200);
};

export const getJob: AppRouteHandler<typeof routes.getJob> = async (c) => {
  const [job] = await influencerDb(c.env)
    .select()
    .from(scrapingJobs)
    .where(ownJob(c.req.valid("param").id, userIdOf(c)));
  if (!job) throw notFound("No such scraping job.");
  return c.json(jobJson(job), 200);
};

/** A creator's handle for de-duplication: TikTok uniqueId, Instagram username, else the (YouTube) channel name. */
const handle = sql`lower(regexp_replace(coalesce(c.value->'creator'->>'uniqueId', c.value->>'username',
  c.value->'creator'->>'username', c.value->>'uniqueId', c.value->'creator'->>'name', c.value->>'name'), '^@', ''))`;

export const getJobResults: AppRouteHandler<typeof routes.getJobResults> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const { limit, offset } = pageWindow(q);
  const [[job], page] = await db.batch([
    db.select().from(scrapingJobs).where(ownJob(id, userId)),
    db.execute<{ creator: Record<string, unknown> }>(sql`
      SELECT creator FROM (
        SELECT DISTINCT ON (handle) creator, handle, created_at, rid, ord FROM (
          SELECT c.value AS creator, r.created_at, r.id AS rid, c.ord,
                 coalesce(${handle}, r.id::text || ':' || c.ord) AS handle
          FROM ${scrapingResults} r
          JOIN ${scrapingJobs} j ON j.id = r.job_id
          CROSS JOIN LATERAL jsonb_array_elements(r.creators) WITH ORDINALITY AS c(value, ord)
          WHERE r.job_id = ${id} AND j.user_id = ${userId} AND jsonb_typeof(r.creators) = 'array'
        ) flat
        ORDER BY handle, created_at DESC, rid, ord
      ) uniq
      ORDER BY created_at DESC, rid, ord
      LIMIT ${limit} OFFSET ${offset}`),
  ]);
  if (!job) throw notFound("No such scraping job.");
  const items = pageOf(
    page.rows.map((r) => (typeof r.creator === "string" ? JSON.parse(r.creator) : r.creator)),
    q,
  );
  return c.json({ job: jobJson(job as ScrapingJob), ...items }, 200);
};

export const processJob: AppRouteHandler<typeof routes.processJob> = async (c) => {
  const { id } = c.req.valid("param");
  const step = c.req.valid("json");
  if (step.jobId !== id) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "The step is for another job.",
      errors: [{ path: "body.jobId", message: "must equal the job id in the path" }],
    });
  }
  const r = await runStep(c.env, c.get("logger"), step, {
    messageId: c.req.header("Upstash-Message-Id"),
    waitUntil: (p) => c.executionCtx.waitUntil(p),
  });
  return c.json({ outcome: r.outcome, reason: r.reason, job: r.job ? jobJson(r.job) : null, next: r.next }, 200);
};
