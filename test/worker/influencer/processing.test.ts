/**
 * Scraping steps: delivered by (the fake) QStash, signed, one scraper page per step, all counters in one
 * transaction; redeliveries and stale cursors change nothing; the scraper failing, stalling or answering
 * garbage; the JOBS-queue transport running the same step.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { resendLostSteps } from "../../../functions/influencer/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import worker from "../../../src/index";
import { sql } from "../helpers";
import {
  call,
  campaignWithJob,
  deliver,
  drain,
  env,
  instagram,
  json,
  problem,
  qstash,
  qstashSignature,
  scraper,
  tiktok,
  user,
  word,
} from "./helpers";

const jobRow = async (id: string) =>
  (
    await sql<any>(
      "SELECT status, cursor, processed_runs, processed_results, progress::float AS progress, error, started_at, completed_at, qstash_message_id FROM influencer.scraping_jobs WHERE id = $1",
      [id],
    )
  )[0];
const resultRows = async (id: string) =>
  (
    await sql<{ n: number }>(
      "SELECT jsonb_array_length(creators) AS n FROM influencer.scraping_results WHERE job_id = $1 ORDER BY created_at",
      [id],
    )
  ).map((r) => r.n);

beforeEach(async () => {
  await scraper.rules([]);
  await qstash.rules([]);
});

describe("a job processed step by step through QStash", () => {
  it("creating the campaign publishes the first step; each step stores a page and advances the job until it completes", async () => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 5, pageSize: 2 });
    expect(job).toMatchObject({ status: "pending", cursor: 0, processedRuns: 0, progress: 0, targetResults: 1000 });
    const [first] = await qstash.messages(job.id);
    expect(first).toMatchObject({ destination: `http://api.test/v1/influencer/jobs/${job.id}/process` });
    expect(JSON.parse(first!.body)).toEqual({ jobId: job.id, cursor: 0 });

    const outcomes = await drain(job.id);
    expect(
      outcomes.map((o) => [o.outcome, o.job.status, o.job.cursor, o.job.processedRuns, o.job.processedResults, o.job.progress]),
    ).toEqual([
      ["advanced", "processing", 2, 1, 2, 0.2],
      ["advanced", "processing", 4, 2, 4, 0.4],
      ["completed", "completed", 4, 3, 5, 100],
    ]);
    expect(await resultRows(job.id)).toEqual([2, 2, 1]);
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: "completed", processed_runs: 3, processed_results: 5, progress: 100, error: null });
    expect(row.started_at).not.toBeNull();
    expect(row.completed_at).not.toBeNull();
    expect(row.qstash_message_id).toBe((await qstash.messages(job.id)).at(-1)!.messageId);
    const calls = await scraper.calls(`key=${key}`);
    expect(calls.calls.map((c: any) => c.body.cursor)).toEqual([0, 2, 4]);
    expect(calls.calls[0].body).toMatchObject({ platform: "TikTok", searchType: "keyword", keywords: [key], region: "US" });
  });

  it("stops at the target results and keeps only what the target needs", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 10, pageSize: 4, targetResults: 6 });
    const outcomes = await drain(job.id);
    expect(outcomes.map((o) => o.outcome)).toEqual(["advanced", "completed"]);
    expect(await jobRow(job.id)).toMatchObject({ status: "completed", processed_results: 6, processed_runs: 2, progress: 100 });
    expect(await resultRows(job.id)).toEqual([4, 2]);
  });

  it("flattens the result pages into one creator list, de-duplicated by handle, paginated", async () => {
    const u = await user();
    const key = word();
    // The same creator on two pages, once as "@Dup" and once as "dup": one entry (the newest page's).
    await scraper.creators(
      key,
      [
        tiktok("a"),
        tiktok("Dup", { page: 1 }),
        tiktok("b"),
        { ...tiktok("dup", { page: 2 }), creator: { name: "D", uniqueId: "dup" } },
        tiktok("c"),
      ],
      2,
    );
    const { job } = await json(
      await call("POST", "/campaigns", {
        token: u.token,
        body: { name: "flat", searchType: "keyword", job: { platform: "TikTok", keywords: [key] } },
      }),
      201,
    );
    await drain(job.id);
    const all = await json(await call("GET", `/jobs/${job.id}/results?pageSize=100`, { token: u.token }), 200);
    expect(all.job).toMatchObject({ id: job.id, status: "completed" });
    const handles = all.items.map((i: any) => i.creator.uniqueId);
    expect(handles).toEqual(["@c", "@b", "dup", "@a"]);
    expect(all.hasNext).toBe(false);
    const p1 = await json(await call("GET", `/jobs/${job.id}/results?pageSize=3&page=1`, { token: u.token }), 200);
    const p2 = await json(await call("GET", `/jobs/${job.id}/results?pageSize=3&page=2`, { token: u.token }), 200);
    expect([p1.hasNext, p2.hasNext]).toEqual([true, false]);
    expect([...p1.items, ...p2.items].map((i: any) => i.creator.uniqueId)).toEqual(handles);
  });

  it("a similar search sends the target username and de-duplicates Instagram usernames", async () => {
    const u = await user();
    const target = word("@orig");
    await scraper.creators(target, [instagram("x"), instagram("y"), instagram("X")], 3);
    const { job } = await json(
      await call("POST", "/campaigns", {
        token: u.token,
        body: { name: "sim", searchType: "similar", job: { platform: "Instagram", targetUsername: target } },
      }),
      201,
    );
    await drain(job.id);
    const calls = await scraper.calls(`key=${target}`);
    expect(calls.calls[0].body).toMatchObject({ searchType: "similar", targetUsername: target, platform: "Instagram" });
    const res = await json(await call("GET", `/jobs/${job.id}/results`, { token: u.token }), 200);
    expect(res.items.map((i: any) => i.username)).toEqual(["x", "y"]);
  });
});

describe("redelivery and idempotency", () => {
  it("a duplicate delivery of a step that already ran changes nothing and calls no scraper", async () => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 4, pageSize: 2 });
    const [first] = await qstash.messages(job.id);
    expect((await json(await deliver({ jobId: job.id, cursor: 0 }, { messageId: first!.messageId }), 200)).outcome).toBe("advanced");
    const before = await jobRow(job.id);
    const again = await json(await deliver({ jobId: job.id, cursor: 0 }, { messageId: first!.messageId }), 200);
    expect(again).toMatchObject({ outcome: "ignored", next: null });
    expect(again.reason).toMatch(/stale/);
    expect(await jobRow(job.id)).toEqual(before);
    expect(await resultRows(job.id)).toEqual([2]);
    expect((await scraper.calls(`key=${key}`)).count).toBe(1);
    expect(await qstash.messages(job.id)).toHaveLength(2);
  });

  it("two deliveries of the same step at once store the page once", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 6, pageSize: 2 });
    const [a, b] = await Promise.all([deliver({ jobId: job.id, cursor: 0 }), deliver({ jobId: job.id, cursor: 0 })]);
    const outcomes = [(await json(a, 200)).outcome, (await json(b, 200)).outcome].sort();
    expect(outcomes).toContain("advanced");
    expect(outcomes.filter((o) => o === "advanced")).toHaveLength(1);
    expect(await resultRows(job.id)).toEqual([2]);
    expect(await jobRow(job.id)).toMatchObject({ cursor: 2, processed_runs: 1, processed_results: 2 });
  });

  it("a finished job ignores steps", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 1, pageSize: 2 });
    await drain(job.id);
    expect(await jobRow(job.id)).toMatchObject({ status: "completed" });
    const late = await json(await deliver({ jobId: job.id, cursor: 0 }), 200);
    expect(late).toMatchObject({ outcome: "ignored", reason: "the job is completed" });
    expect(await resultRows(job.id)).toEqual([1]);
  });

  it("a step for a job that does not exist is acknowledged and ignored", async () => {
    const id = crypto.randomUUID();
    expect(await json(await deliver({ jobId: id, cursor: 0 }), 200)).toMatchObject({ outcome: "ignored", job: null });
  });
});

describe("signatures", () => {
  it("accepts the next signing key (key rotation)", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    expect((await json(await deliver({ jobId: job.id, cursor: 0 }, { key: env.QSTASH_NEXT_SIGNING_KEY }), 200)).outcome).toBe("advanced");
  });

  it("refuses a missing, wrongly keyed, expired, other-URL or other-body signature (400 invalid-signature) and changes nothing", async () => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    const step = { jobId: job.id, cursor: 0 };
    const body = JSON.stringify(step);
    const cases = [
      await deliver(step, { signature: null }),
      await deliver(step, { key: "not-the-key" }),
      await deliver(step, {
        signature: await qstashSignature(`http://api.test/v1/influencer/jobs/${job.id}/process`, body, undefined, { expiresIn: "-1m" }),
      }),
      await deliver(step, { signature: await qstashSignature(`http://api.test/v1/influencer/jobs/${crypto.randomUUID()}/process`, body) }),
      await deliver(step, {
        signature: await qstashSignature(`http://api.test/v1/influencer/jobs/${job.id}/process`, JSON.stringify({ ...step, cursor: 9 })),
      }),
    ];
    for (const res of cases) expect((await problem(res, 400)).type).toBe("/problems/invalid-signature");
    expect(await jobRow(job.id)).toMatchObject({ status: "pending", cursor: 0, processed_runs: 0 });
    expect((await scraper.calls(`key=${key}`)).count).toBe(0);
  });

  it("a signed body for another job than the path's is a 400", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 1 });
    const other = crypto.randomUUID();
    const body = JSON.stringify({ jobId: other, cursor: 0 });
    const res = await deliver({ jobId: job.id, cursor: 0 }, { body });
    expect((await problem(res, 400)).errors[0].path).toBe("body.jobId");
  });
});

describe("the scraper failing", () => {
  it("down (503) or stalled: the step answers 503 with Retry-After and the job is unchanged; a retry then succeeds", async () => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    await scraper.rules([{ match: `key=${key}`, status: 503, times: 1 }]);
    const down = await problem(await deliver({ jobId: job.id, cursor: 0 }), 503);
    expect(down.detail).toMatch(/scraper API/);
    await scraper.rules([{ match: `key=${key}`, delayMs: 2500, times: 1 }]);
    const slow = await deliver({ jobId: job.id, cursor: 0 });
    expect(slow.status).toBe(503);
    expect(Number(slow.headers.get("Retry-After"))).toBeGreaterThan(0);
    await slow.arrayBuffer();
    expect(await jobRow(job.id)).toMatchObject({ status: "pending", cursor: 0, processed_runs: 0 });
    expect((await json(await deliver({ jobId: job.id, cursor: 0 }), 200)).outcome).toBe("advanced");
  });

  it.each([
    ["not JSON", { invalid: true }],
    ["JSON of the wrong shape", { body: { items: "nope" } }],
    ["a 400", { status: 400 }],
    ["a cursor that does not advance", { nextCursor: 0 }],
  ])("garbage (%s) fails the job with a safe reason", async (_name, rule) => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    await scraper.rules([{ match: `key=${key}`, times: 1, ...rule }]);
    const out = await json(await deliver({ jobId: job.id, cursor: 0 }), 200);
    expect(out).toMatchObject({ outcome: "error", next: null, job: { status: "error" } });
    expect(out.reason).toMatch(/^scraper API: /);
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: "error", error: out.reason });
    expect(row.completed_at).not.toBeNull();
    expect(await resultRows(job.id)).toEqual([]);
    expect((await json(await deliver({ jobId: job.id, cursor: 0 }), 200)).outcome).toBe("ignored");
  });
});

describe("QStash failing", () => {
  it("a failed publish still creates the campaign and job; the lost-step sweep sends the step later", async () => {
    const u = await user();
    await qstash.rules([{ status: 500, times: 1 }]);
    const { job } = await campaignWithJob(u, { n: 2 });
    expect(job.status).toBe("pending");
    expect(await qstash.messages(job.id)).toHaveLength(0);
    await sql("UPDATE influencer.scraping_jobs SET updated_at = now() - interval '10 minutes' WHERE id = $1", [job.id]);
    await dispatchCron({ once: [resendLostSteps] }, "once", env, Date.now());
    const [msg] = await qstash.messages(job.id);
    expect(JSON.parse(msg!.body)).toEqual({ jobId: job.id, cursor: 0 });
  });
});

describe("the JOBS queue transport (no QStash configured)", () => {
  it("the queue consumer runs the same step and sends the next one to the queue", async () => {
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    const sent: unknown[] = [];
    const queueEnv = {
      ...env,
      QSTASH_URL: undefined,
      QSTASH_TOKEN: undefined,
      JOBS: {
        send: async (m: unknown) => {
          sent.push(m);
        },
      } as unknown as Queue,
    };
    const batch = createMessageBatch("edge-backend-jobs", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: { job: "influencer.step", jobId: job.id, cursor: 0 } },
    ]);
    await worker.queue(batch, queueEnv);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["m1"]);
    expect(sent).toEqual([{ job: "influencer.step", jobId: job.id, cursor: 2 }]);
    expect(await jobRow(job.id)).toMatchObject({ status: "processing", cursor: 2, processed_runs: 1 });
    expect(await qstash.messages(job.id)).toHaveLength(1);

    const last = createMessageBatch("edge-backend-jobs", [{ id: "m2", timestamp: new Date(), attempts: 1, body: sent[0] }]);
    await worker.queue(last, queueEnv);
    expect(await jobRow(job.id)).toMatchObject({ status: "completed", processed_results: 3 });
    expect(sent).toHaveLength(1);
  });

  it("a scraper outage makes the queue retry the message", async () => {
    const u = await user();
    const { job, key } = await campaignWithJob(u, { n: 3, pageSize: 2 });
    await scraper.rules([{ match: `key=${key}`, status: 502, times: 1 }]);
    const batch = createMessageBatch("edge-backend-jobs", [
      { id: "m3", timestamp: new Date(), attempts: 1, body: { job: "influencer.step", jobId: job.id, cursor: 0 } },
    ]);
    await worker.queue(batch, { ...env, QSTASH_URL: undefined } as typeof env);
    expect((await getQueueResult(batch, createExecutionContext())).retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m3"]);
    expect(await jobRow(job.id)).toMatchObject({ status: "pending", cursor: 0 });
  });
});
