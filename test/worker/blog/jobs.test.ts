/** Generation runs as a `blog.generate` job on the JOBS queue (src/jobs/dispatch.ts, functions/blog/jobs.ts). */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blogDb } from "../../../functions/blog/db";
import { runGeneration } from "../../../functions/blog/jobs";
import { claimGeneration, failSession, logPass } from "../../../functions/blog/sessions.store";
import { createLogger } from "../../../src/core/logger";
import { dispatchJobs } from "../../../src/jobs/dispatch";
import worker from "../../../src/index";
import { api, sql, testEnv } from "../helpers";
import { callWith, chatApi, seedAgents, waitFor } from "./helpers";
import { uniq } from "../helpers";

const SEO = { title: "T", description: "D", keywords: ["k"] };
const rules = [
  { match: "fake/blog-writer", content: "# Draft" },
  { match: "fake/blog-editor", content: "# Edited" },
  { match: "fake/seo-specialist", json: SEO },
  { match: "fake/senior-editor", content: "# Final" },
  { match: "fake/blog-reviewer", json: { approved: true, feedback: "ok" } },
];

async function session(status: "draft" | "generating") {
  const dress = uniq("jd");
  await sql(`INSERT INTO blog.cached_dresses (external_id, name, expires_at) VALUES ($1, $1, now() + interval '1 day')`, [dress]);
  const [row] = await sql<{ id: string }>(
    `INSERT INTO blog.blog_sessions (status, selected_dress_ids, agent_log) VALUES ($1, $2, '[]') RETURNING id`,
    [status, JSON.stringify([dress])],
  );
  return row!.id;
}
const statusOf = async (id: string) =>
  (await sql<{ status: string }>(`SELECT status FROM blog.blog_sessions WHERE id = $1`, [id]))[0]!.status;
const message = (id: string, body: unknown) => ({ id, timestamp: new Date(), attempts: 1, body });

beforeAll(() => seedAgents());
beforeEach(async () => {
  await chatApi.reset();
  await chatApi.rules(rules);
});

describe("jobs", () => {
  it("the dispatcher acks what it ran or cannot run, and retries what threw", async () => {
    const batch = createMessageBatch("edge-backend-jobs", [
      message("ok", { job: "t.ok" }),
      message("unknown", { job: "t.nope" }),
      message("boom", { job: "t.boom" }),
      message("junk", "not a job"),
    ]);
    const ran: string[] = [];
    await dispatchJobs(
      {
        "t.ok": async () => {
          ran.push("ok");
        },
        "t.boom": async () => {
          throw new Error("boom");
        },
      },
      batch,
      testEnv,
    );
    const result = await getQueueResult(batch, createExecutionContext());
    expect(ran).toEqual(["ok"]);
    expect(result.explicitAcks.sort()).toEqual(["junk", "ok", "unknown"]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["boom"]);
  });

  it("the Worker's queue() handler runs a blog.generate job to completion", async () => {
    const id = await session("generating");
    const batch = createMessageBatch("edge-backend-jobs", [message("m1", { job: "blog.generate", sessionId: id })]);
    await worker.queue(batch, testEnv);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["m1"]);
    expect(await statusOf(id)).toBe("completed");
  });

  it("POST /generate only queues the job: no model is called while the request runs", async () => {
    const id = await session("draft");
    const sent: unknown[] = [];
    const res = await callWith(
      {
        JOBS: {
          send: async (m: unknown) => {
            sent.push(m);
          },
        } as unknown as Queue,
      },
      `/v1/blog/sessions/${id}/generate`,
      { method: "POST" },
    );
    expect(res.status).toBe(202);
    expect(sent).toEqual([{ job: "blog.generate", sessionId: id }]);
    expect((await chatApi.calls()).count).toBe(0);
    expect(await statusOf(id)).toBe("generating");
  });

  it("through the real queue binding, the session completes", async () => {
    const id = await session("draft");
    expect((await api(`/v1/blog/sessions/${id}/generate`, { method: "POST" })).status).toBe(202);
    await waitFor(async () => (await statusOf(id)) === "completed");
  });

  it("when the queue cannot take the job, it still runs (after the response)", async () => {
    const id = await session("draft");
    const res = await callWith(
      {
        JOBS: {
          send: async () => {
            throw new Error("queue down");
          },
        } as unknown as Queue,
      },
      `/v1/blog/sessions/${id}/generate`,
      { method: "POST" },
    );
    expect(res.status).toBe(202);
    expect(await statusOf(id)).toBe("completed");
  });

  for (const redis of ["up", "down"] as const) {
    it(`two deliveries of the same job run the pipeline once (Redis ${redis}): the lease on the session row decides`, async () => {
      const id = await session("generating");
      await chatApi.rules(rules.map((r) => ({ ...r, delayMs: 50 })));
      const logger = createLogger("error");
      // Redis down: nothing listens on port 9.
      const env = redis === "up" ? testEnv : { ...testEnv, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
      await Promise.all([runGeneration(env, id, logger), runGeneration(env, id, logger)]);
      expect((await chatApi.calls()).count).toBe(5);
      const [row] = await sql<{ status: string; passes: number; lease_owner: string | null; lease_expires_at: string | null }>(
        `SELECT status, jsonb_array_length(agent_log::jsonb) AS passes, lease_owner, lease_expires_at FROM blog.blog_sessions WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ status: "completed", passes: 5, lease_owner: null, lease_expires_at: null });
      // A third, late delivery finds the session completed and calls no model.
      await runGeneration(env, id, logger);
      expect((await chatApi.calls()).count).toBe(5);
    });
  }

  it("a job waits out another run's unexpired lease, and takes over an expired one", async () => {
    const held = await session("generating");
    await sql(`UPDATE blog.blog_sessions SET lease_owner = 'other-run', lease_expires_at = now() + interval '1 hour' WHERE id = $1`, [
      held,
    ]);
    await runGeneration(testEnv, held, createLogger("error"));
    expect((await chatApi.calls()).count).toBe(0);
    expect((await sql(`SELECT status, lease_owner FROM blog.blog_sessions WHERE id = $1`, [held]))[0]).toEqual({
      status: "generating",
      lease_owner: "other-run",
    });

    const expired = await session("generating");
    await sql(`UPDATE blog.blog_sessions SET lease_owner = 'dead-run', lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired,
    ]);
    await runGeneration(testEnv, expired, createLogger("error"));
    expect((await chatApi.calls()).count).toBe(5);
    expect(await statusOf(expired)).toBe("completed");
  });

  it("a run that lost its lease writes nothing more (its passes are fenced by the token)", async () => {
    const id = await session("generating");
    const db = blogDb(testEnv);
    const lease = (await claimGeneration(db, id, 60_000))!;
    expect(lease).not.toBeNull();
    expect(await claimGeneration(db, id, 60_000)).toBeNull();
    const entry = {
      agent: "blog-writer",
      model: null,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      durationMs: 0,
      outcome: "ok" as const,
      finishedAt: new Date().toISOString(),
    };
    expect(await logPass(db, id, lease, entry)).toBe(true);
    await sql(`UPDATE blog.blog_sessions SET lease_owner = 'newer-run' WHERE id = $1`, [id]);
    expect(await logPass(db, id, lease, entry)).toBe(false);
    expect(await failSession(db, id, lease, { ...entry, outcome: "error", error: "x" })).toBe(false);
    expect(
      (await sql(`SELECT status, jsonb_array_length(agent_log::jsonb) AS passes FROM blog.blog_sessions WHERE id = $1`, [id]))[0],
    ).toEqual({
      status: "generating",
      passes: 1,
    });
  });

  it("a job for a session that is no longer generating does nothing", async () => {
    const id = await session("draft");
    await runGeneration(testEnv, id, createLogger("error"));
    expect(await statusOf(id)).toBe("draft");
    expect((await chatApi.calls()).count).toBe(0);
  });
});
