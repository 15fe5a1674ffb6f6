/** Campaigns and their scraping jobs: the campaign+job transaction, CRUD scoped to the caller, job creation rules. */
import { describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, campaignWithJob, json, problem, qstash, user, word } from "./helpers";

const count = async (table: string, where: string, params: unknown[]) =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM influencer.${table} WHERE ${where}`, params))[0]!.n);

describe("create a campaign with its first job", () => {
  it("stores both in one transaction; the campaign is active and the job pending with its timeout", async () => {
    const u = await user();
    const key = word();
    const res = await call("POST", "/campaigns", {
      token: u.token,
      body: {
        name: "TikTok Keyword Search",
        searchType: "keyword",
        job: { platform: "TikTok", keywords: ["fitness", key], region: "GB", targetResults: 50_000 },
      },
    });
    const body = await json(res, 201);
    expect(res.headers.get("Location")).toBe(`/v1/influencer/campaigns/${body.id}`);
    expect(body).toMatchObject({ name: "TikTok Keyword Search", searchType: "keyword", status: "active" });
    // capped by api.max_results_production (1000: the tests run with production limits)
    expect(body.job).toMatchObject({
      campaignId: body.id,
      platform: "TikTok",
      keywords: ["fitness", key],
      region: "GB",
      status: "pending",
      targetResults: 1000,
    });
    const timeoutIn = Date.parse(body.job.timeoutAt) - Date.now();
    expect(timeoutIn).toBeGreaterThan(55 * 60_000);
    expect(timeoutIn).toBeLessThanOrEqual(60 * 60_000);
    const [row] = await sql<any>(
      "SELECT c.user_id AS cu, j.user_id AS ju, j.timeout_at IS NOT NULL AS has_timeout FROM influencer.campaigns c JOIN influencer.scraping_jobs j ON j.campaign_id = c.id WHERE c.id = $1",
      [body.id],
    );
    expect(row).toEqual({ cu: u.id, ju: u.id, has_timeout: true });
    expect(await qstash.messages(body.job.id)).toHaveLength(1);
  });

  it("rolls the campaign back when the job part cannot be stored", async () => {
    const u = await user();
    const name = word("rollback");
    // zod accepts a NUL inside a keyword; Postgres refuses it in jsonb, on the job's INSERT — the batch's second statement.
    const res = await call("POST", "/campaigns", {
      token: u.token,
      body: { name, searchType: "keyword", job: { platform: "TikTok", keywords: ["a\u0000b"] } },
    });
    await problem(res, 400);
    expect(await count("campaigns", "name = $1", [name])).toBe(0);
    expect(await count("scraping_jobs", "user_id = $1", [u.id])).toBe(0);
  });

  it("rejects a job part that does not fit the search type, before writing anything", async () => {
    const u = await user();
    const name = word("mismatch");
    const res = await call("POST", "/campaigns", {
      token: u.token,
      body: { name, searchType: "similar", job: { platform: "TikTok", keywords: ["x"] } },
    });
    const p = await problem(res, 400);
    expect(p.errors.map((e: any) => e.path).sort()).toEqual(["body.job.keywords", "body.job.targetUsername"]);
    expect(
      await problem(
        await call("POST", "/campaigns", {
          token: u.token,
          body: { name, searchType: "keyword", job: { platform: "Tiktok", keywords: ["x"] } },
        }),
        400,
      ),
    ).toMatchObject({ errors: [{ path: "body.job.platform" }] });
    expect(await count("campaigns", "name = $1", [name])).toBe(0);
  });

  it("without a job the campaign is a draft", async () => {
    const u = await user();
    const body = await json(await call("POST", "/campaigns", { token: u.token, body: { name: "Draft", searchType: "similar" } }), 201);
    expect(body).toMatchObject({ status: "draft", job: null });
  });
});

describe("campaign CRUD", () => {
  it("lists the caller's campaigns only, filtered and paginated", async () => {
    const u = await user();
    const other = await user();
    const tag = word("list");
    for (const n of ["one", "two", "three"])
      await json(await call("POST", "/campaigns", { token: u.token, body: { name: `${tag} ${n}`, searchType: "keyword" } }), 201);
    await json(await call("POST", "/campaigns", { token: other.token, body: { name: `${tag} other`, searchType: "keyword" } }), 201);
    const page = await json(await call("GET", `/campaigns?q=${tag}&pageSize=2&sortBy=name&sortDirection=asc`, { token: u.token }), 200);
    expect(page.items.map((c: any) => c.name)).toEqual([`${tag} one`, `${tag} three`]);
    expect(page.hasNext).toBe(true);
    const drafts = await json(await call("GET", `/campaigns?q=${tag}&status=active`, { token: u.token }), 200);
    expect(drafts.items).toEqual([]);
  });

  it("get answers the campaign with its jobs; patch moves the status along the allowed moves only", async () => {
    const u = await user();
    const { campaign, job } = await campaignWithJob(u);
    const got = await json(await call("GET", `/campaigns/${campaign.id}`, { token: u.token }), 200);
    expect(got.jobs.map((j: any) => j.id)).toEqual([job.id]);
    const done = await json(
      await call("PATCH", `/campaigns/${campaign.id}`, { token: u.token, body: { status: "completed", name: "Renamed" } }),
      200,
    );
    expect(done).toMatchObject({ status: "completed", name: "Renamed" });
    await json(await call("PATCH", `/campaigns/${campaign.id}`, { token: u.token, body: { status: "archived" } }), 200);
    const stuck = await problem(await call("PATCH", `/campaigns/${campaign.id}`, { token: u.token, body: { status: "active" } }), 409);
    expect(stuck.detail).toMatch(/archived/);
    await problem(await call("PATCH", `/campaigns/${campaign.id}`, { token: u.token, body: {} }), 400);
  });

  it("delete removes the campaign with its jobs and results", async () => {
    const u = await user();
    const { campaign, job } = await campaignWithJob(u, { n: 1 });
    await sql("INSERT INTO influencer.scraping_results (job_id, creators) VALUES ($1, '[]')", [job.id]);
    const res = await call("DELETE", `/campaigns/${campaign.id}`, { token: u.token });
    expect(res.status).toBe(204);
    expect(await count("scraping_jobs", "id = $1", [job.id])).toBe(0);
    expect(await count("scraping_results", "job_id = $1", [job.id])).toBe(0);
    await problem(await call("GET", `/campaigns/${campaign.id}`, { token: u.token }), 404);
  });

  it("another user's campaign and job answer 404 on every route, and stay untouched", async () => {
    const owner = await user();
    const intruder = await user();
    const { campaign, job } = await campaignWithJob(owner, { n: 1 });
    const t = intruder.token;
    await problem(await call("GET", `/campaigns/${campaign.id}`, { token: t }), 404);
    await problem(await call("PATCH", `/campaigns/${campaign.id}`, { token: t, body: { name: "mine" } }), 404);
    await problem(await call("DELETE", `/campaigns/${campaign.id}`, { token: t }), 404);
    await problem(await call("POST", `/campaigns/${campaign.id}/jobs`, { token: t, body: { platform: "TikTok", keywords: ["x"] } }), 404);
    await problem(await call("GET", `/campaigns/${campaign.id}/jobs`, { token: t }), 404);
    await problem(await call("GET", `/jobs/${job.id}`, { token: t }), 404);
    await problem(await call("GET", `/jobs/${job.id}/results`, { token: t }), 404);
    const still = await json(await call("GET", `/campaigns/${campaign.id}`, { token: owner.token }), 200);
    expect(still).toMatchObject({ name: campaign.name, jobs: [{ id: job.id }] });
  });

  it("malformed ids are 400s naming the parameter", async () => {
    const u = await user();
    expect((await problem(await call("GET", "/campaigns/not-a-uuid", { token: u.token }), 400)).errors[0].path).toBe("path.id");
  });
});

describe("jobs of a campaign", () => {
  it("adds a job to a draft campaign, which becomes active; lists the campaign's jobs with progress", async () => {
    const u = await user();
    const draft = await json(await call("POST", "/campaigns", { token: u.token, body: { name: "D", searchType: "similar" } }), 201);
    const res = await call("POST", `/campaigns/${draft.id}/jobs`, {
      token: u.token,
      body: { platform: "YouTube", targetUsername: "@someone", targetResults: 5 },
    });
    const job = await json(res, 201);
    expect(res.headers.get("Location")).toBe(`/v1/influencer/jobs/${job.id}`);
    expect(job).toMatchObject({
      platform: "YouTube",
      targetUsername: "@someone",
      keywords: null,
      targetResults: 5,
      status: "pending",
      progress: 0,
    });
    expect((await json(await call("GET", `/campaigns/${draft.id}`, { token: u.token }), 200)).status).toBe("active");
    const list = await json(await call("GET", `/campaigns/${draft.id}/jobs?status=pending`, { token: u.token }), 200);
    expect(list.items.map((j: any) => j.id)).toEqual([job.id]);
    expect(await json(await call("GET", `/jobs/${job.id}`, { token: u.token }), 200)).toMatchObject({ id: job.id, campaignId: draft.id });
    expect(await qstash.messages(job.id)).toHaveLength(1);
  });

  it("422 when the fields do not fit the campaign's search type; 409 for an archived campaign; 400 for neither or both", async () => {
    const u = await user();
    const c = await json(await call("POST", "/campaigns", { token: u.token, body: { name: "K", searchType: "keyword" } }), 201);
    const wrong = await problem(
      await call("POST", `/campaigns/${c.id}/jobs`, { token: u.token, body: { platform: "TikTok", targetUsername: "@x" } }),
      422,
    );
    expect(wrong.errors.map((e: any) => e.path).sort()).toEqual(["body.keywords", "body.targetUsername"]);
    await problem(await call("POST", `/campaigns/${c.id}/jobs`, { token: u.token, body: { platform: "TikTok" } }), 400);
    await problem(
      await call("POST", `/campaigns/${c.id}/jobs`, {
        token: u.token,
        body: { platform: "TikTok", keywords: ["a"], targetUsername: "@b" },
      }),
      400,
    );
    await json(await call("PATCH", `/campaigns/${c.id}`, { token: u.token, body: { status: "archived" } }), 200);
    await problem(await call("POST", `/campaigns/${c.id}/jobs`, { token: u.token, body: { platform: "TikTok", keywords: ["a"] } }), 409);
    expect(await count("scraping_jobs", "campaign_id = $1", [c.id])).toBe(0);
  });
});
