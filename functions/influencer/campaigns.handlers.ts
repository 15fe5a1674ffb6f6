import type { AppRouteHandler } from "../../src/http/router";
import { and, asc, desc, eq, ilike, inArray } from "drizzle-orm";
import { containsPattern } from "../../src/db/like";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { conflict, notFound } from "../../src/core/problem";
import { userIdOf } from "./auth";
import type * as routes from "./campaigns.routes";
import { influencerConfig } from "./config";
import { influencerDb } from "./db";
import { newJob, ownCampaign } from "./jobs.store";
import { campaignJson, jobJson } from "./responses";
import { type CampaignStatus, campaigns, scrapingJobs, scrapingResults, searchJobs, searchResults } from "./schema";
import { configDeps, loadSettings } from "./system-config";
import { sendStep } from "./transport";

export const createCampaign: AppRouteHandler<typeof routes.createCampaign> = async (c) => {
  const userId = userIdOf(c);
  const body = c.req.valid("json");
  const db = influencerDb(c.env);
  const campaign = { id: crypto.randomUUID(), userId, name: body.name, description: body.description, searchType: body.searchType };
  if (!body.job) {
    const [row] = await db
      .insert(campaigns)
      .values({ ...campaign, status: "draft" })
      .returning();
    c.header("Location", `/v1/influencer/campaigns/${row!.id}`);
    return c.json({ ...campaignJson(row!), job: null }, 201);
  }
  const job = newJob(await loadSettings(configDeps(c)), influencerConfig(c.env), userId, campaign.id, body.job);
  // The seed's transaction: one batch, so a job that cannot be stored leaves no campaign behind.
  const [[row], [jobRow]] = await db.batch([
    db
      .insert(campaigns)
      .values({ ...campaign, status: "active" })
      .returning(),
    db.insert(scrapingJobs).values(job).returning(),
  ]);
  await sendStep(c.env, { jobId: jobRow!.id, cursor: 0 }, c.get("logger"));
  c.header("Location", `/v1/influencer/campaigns/${row!.id}`);
  return c.json({ ...campaignJson(row!), job: jobJson(jobRow!) }, 201);
};

const sortColumns = { createdAt: campaigns.createdAt, updatedAt: campaigns.updatedAt, name: campaigns.name };

export const listCampaigns: AppRouteHandler<typeof routes.listCampaigns> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const rows = await influencerDb(c.env)
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.userId, userIdOf(c)),
        q.status ? eq(campaigns.status, q.status) : undefined,
        q.q ? ilike(campaigns.name, containsPattern(q.q)) : undefined,
      ),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(campaigns.id))
    .limit(pageWindow(q).limit)
    .offset(pageWindow(q).offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(campaignJson) }, 200);
};

export const getCampaign: AppRouteHandler<typeof routes.getCampaign> = async (c) => {
  const found = await influencerDb(c.env).query.campaigns.findFirst({
    where: ownCampaign(c.req.valid("param").id, userIdOf(c)),
    with: { scrapingJobs: { orderBy: [desc(scrapingJobs.createdAt), desc(scrapingJobs.id)] } },
  });
  if (!found) throw notFound("No such campaign.");
  const { scrapingJobs: jobs, ...campaign } = found;
  return c.json({ ...campaignJson(campaign), jobs: jobs.map(jobJson) }, 200);
};

/** Legal campaign status moves; anything else answers 409. */
export const campaignMoves: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ["active", "archived"],
  active: ["completed", "archived"],
  completed: ["active", "archived"],
  archived: [],
};

export const patchCampaign: AppRouteHandler<typeof routes.patchCampaign> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = userIdOf(c);
  const { name, description, status } = c.req.valid("json");
  const db = influencerDb(c.env);
  const from = status
    ? (Object.keys(campaignMoves) as CampaignStatus[]).filter((s) => campaignMoves[s].includes(status) || s === status)
    : undefined;
  const [moved, [current]] = await db.batch([
    db
      .update(campaigns)
      .set({ name, description, status })
      .where(and(ownCampaign(id, userId), from ? inArray(campaigns.status, from) : undefined))
      .returning(),
    db.select({ status: campaigns.status }).from(campaigns).where(ownCampaign(id, userId)),
  ]);
  if (!current) throw notFound("No such campaign.");
  if (!moved[0]) throw conflict(`A campaign that is ${current.status} cannot become ${status}.`);
  return c.json(campaignJson(moved[0]), 200);
};

export const deleteCampaign: AppRouteHandler<typeof routes.deleteCampaign> = async (c) => {
  const { id } = c.req.valid("param");
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const owned = db.select({ id: campaigns.id }).from(campaigns).where(ownCampaign(id, userId));
  const jobs = db.select({ id: scrapingJobs.id }).from(scrapingJobs).where(inArray(scrapingJobs.campaignId, owned));
  const legacyJobs = db.select({ id: searchJobs.id }).from(searchJobs).where(inArray(searchJobs.campaignId, owned));
  const [, , , , gone] = await db.batch([
    db.delete(scrapingResults).where(inArray(scrapingResults.jobId, jobs)),
    db.delete(scrapingJobs).where(inArray(scrapingJobs.campaignId, owned)),
    db.delete(searchResults).where(inArray(searchResults.jobId, legacyJobs)),
    db.delete(searchJobs).where(inArray(searchJobs.campaignId, owned)),
    db.delete(campaigns).where(ownCampaign(id, userId)).returning({ id: campaigns.id }),
  ]);
  if (gone.length === 0) throw notFound("No such campaign.");
  return c.body(null, 204);
};
