/** Server-side execution of runs: the `marketing.executeRun` job, driven through the Worker's queue() handler. */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { executeRun } from "../../../functions/marketing/jobs";
import { createLogger } from "../../../src/core/logger";
import worker from "../../../src/index";
import { spendKeys, utcDay } from "../../../src/db/spend-budget";
import { redisCommand, sql, testEnv, uniq } from "../helpers";
import { call, createClient, createUser, json, type TestUser, upsertSkill } from "./helpers";
import { callWith, capturingQueue, chatApi } from "./llm";

const logger = createLogger("error");

async function skillWithFiles() {
  const name = uniq("exec-skill");
  await upsertSkill(name, { s3Key: `skills/${name}/` });
  await testEnv.FILES.put(`skills/${name}/SKILL.md`, `# ${name}\nWrite punchy copy.`);
  await testEnv.FILES.put(`skills/${name}/RULES.md`, "Never use the word synergy.");
  return name;
}

/** POST /runs with execute: true against a capturing queue; returns the run and the job that was sent. */
async function queuedRun(u: TestUser, skill: string, extra: Record<string, unknown> = {}) {
  const q = capturingQueue();
  const run = await json(
    await callWith({ JOBS: q.binding }, "POST", "/runs", {
      token: u.key,
      body: { skill, userMessage: "A headline for spring", execute: true, ...extra },
    }),
    201,
  );
  expect(q.sent).toHaveLength(1);
  return { run, job: q.sent[0] };
}

const runRow = async (id: string) =>
  (
    await sql<any>(
      `SELECT status, tokens_input, tokens_output, error_message, inngest_event_id, started_at, completed_at FROM marketing.runs WHERE id = $1`,
      [id],
    )
  )[0];
const outputRows = (runId: string) =>
  sql<any>(`SELECT id, s3_key, status, format, size_bytes FROM marketing.outputs WHERE run_id = $1`, [runId]);

async function deliver(...bodies: unknown[]) {
  const batch = createMessageBatch(
    "edge-backend-jobs",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, testEnv);
  return getQueueResult(batch, createExecutionContext());
}

beforeEach(async () => {
  await chatApi.reset();
});

describe("executing a run", () => {
  it("POST /runs with execute queues a marketing.executeRun job whose id is the run's inngestEventId; nothing is executed in the request", async () => {
    const u = await createUser();
    const skill = await skillWithFiles();
    const { run, job } = await queuedRun(u, skill);
    expect(job).toEqual({ job: "marketing.executeRun", runId: run.id, jobId: expect.any(String) });
    expect(run.inngestEventId).toBe(job.jobId);
    expect(run.status).toBe("queued");
    expect((await runRow(run.id)).inngest_event_id).toBe(job.jobId);
    expect((await chatApi.calls()).count).toBe(0);
  });

  it("the job reads the skill's and the client's files from R2, calls the model, stores the output in R2 and completes the run with the tokens", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "# Spring is here\nFresh copy." }]);
    const u = await createUser();
    const skill = await skillWithFiles();
    const client = await createClient(u, uniq("Acme"));
    await testEnv.FILES.put(`${client.s3Prefix}brand.md`, "Acme sells anvils to coyotes.");
    const { run, job } = await queuedRun(u, skill, { clientId: client.id });

    const result = await deliver(job);
    expect(result.explicitAcks).toEqual(["m0"]);

    const row = await runRow(run.id);
    expect(row.status).toBe("completed");
    expect(row.tokens_input).toBeGreaterThan(0);
    expect(row.tokens_output).toBeGreaterThan(0);
    expect(row.started_at).not.toBeNull();
    expect(row.completed_at).not.toBeNull();

    const { calls } = await chatApi.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.model).toBe("fake/marketing-writer");
    expect(calls[0]!.authorization).toBe("Bearer sk-marketing-test");
    const prompt = calls[0]!.messages.map((m) => m.content).join("\n");
    expect(prompt).toContain("Write punchy copy.");
    expect(prompt).toContain("Never use the word synergy.");
    expect(prompt).toContain("Acme sells anvils to coyotes.");
    expect(calls[0]!.messages.at(-1)).toEqual({ role: "user", content: "A headline for spring" });
    // SKILL.md before RULES.md
    expect(prompt.indexOf("Write punchy copy.")).toBeLessThan(prompt.indexOf("Never use the word synergy."));

    const outs = await outputRows(run.id);
    expect(outs).toHaveLength(1);
    expect(outs[0].status).toBe("stored");
    expect(outs[0].s3_key).toMatch(new RegExp(`^outputs/${skill}/${client.slug}-markdown-\\d{4}-\\d{2}-\\d{2}-${outs[0].id}\\.md$`));
    const obj = await testEnv.FILES.get(outs[0].s3_key);
    expect(await obj!.text()).toBe("# Spring is here\nFresh copy.");
    expect(obj!.httpMetadata?.contentType).toBe("text/markdown; charset=utf-8");

    // and it reads back through the API like any output
    const got = await json(await call("GET", `/runs/${run.id}`, { token: u.key }), 200);
    expect(got.status).toBe("completed");
    expect(got.outputs.map((o: any) => o.id)).toEqual([outs[0].id]);
    const content = await call("GET", `/outputs/${outs[0].id}/content`, { token: u.key });
    expect(await content.text()).toBe("# Spring is here\nFresh copy.");
  });

  it("a redelivered job (the handler run twice, even at once) produces one output and one model call", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "Once.", delayMs: 100 }]);
    const u = await createUser();
    const skill = await skillWithFiles();
    const { run, job } = await queuedRun(u, skill);
    await Promise.all([executeRun(testEnv, run.id, job.jobId, logger), executeRun(testEnv, run.id, job.jobId, logger)]);
    const again = await deliver(job);
    expect(again.explicitAcks).toEqual(["m0"]);
    expect(await outputRows(run.id)).toHaveLength(1);
    expect((await chatApi.calls()).count).toBe(1);
    expect((await runRow(run.id)).status).toBe("completed");
  });

  it("a model failure fails the run with the error message and writes no output", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", status: 500 }]);
    const u = await createUser();
    const { run, job } = await queuedRun(u, await skillWithFiles());
    await deliver(job);
    const row = await runRow(run.id);
    expect(row.status).toBe("failed");
    expect(row.error_message).toBe("language model API: answered HTTP 500");
    expect(row.completed_at).not.toBeNull();
    expect(await outputRows(run.id)).toHaveLength(0);
  });

  it("over the global daily model budget (src/db/spend-budget.ts) the run fails saying so, without a model call", async () => {
    const u = await createUser();
    const { run, job } = await queuedRun(u, await skillWithFiles());
    // today's count, at least 1 (a budget of 0 would mean "default"), then a budget of exactly that
    const key = spendKeys("llm", utcDay()).calls;
    await redisCommand("INCR", key);
    const used = Number(await redisCommand("GET", key));
    await executeRun({ ...testEnv, LLM_DAILY_CALL_BUDGET: String(used) } as typeof testEnv, run.id, job.jobId, logger);
    const row = await runRow(run.id);
    expect(row.status).toBe("failed");
    expect(row.error_message).toMatch(/budget.*LLM_DAILY_CALL_BUDGET/);
    expect((await chatApi.calls()).count).toBe(0);
    expect(await outputRows(run.id)).toHaveLength(0);
  });

  it("without an API key configured the run fails saying so", async () => {
    const u = await createUser();
    const { run, job } = await queuedRun(u, await skillWithFiles());
    await executeRun({ ...testEnv, MARKETING_LLM_API_KEY: "" }, run.id, job.jobId, logger);
    const row = await runRow(run.id);
    expect(row.status).toBe("failed");
    expect(row.error_message).toContain("MARKETING_LLM_API_KEY");
    expect((await chatApi.calls()).count).toBe(0);
  });

  it("POST /runs/{id}/execute queues a new job that supersedes the old one; a cancelled run is not executed (409, and a stale job does nothing)", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "Done." }]);
    const u = await createUser();
    const skill = await skillWithFiles();
    const { run, job: first } = await queuedRun(u, skill);
    const q = capturingQueue();
    const res = await json(await callWith({ JOBS: q.binding }, "POST", `/runs/${run.id}/execute`, { token: u.key }), 202);
    const second = q.sent[0];
    expect(second.jobId).not.toBe(first.jobId);
    expect(res.inngestEventId).toBe(second.jobId);
    await deliver(first);
    expect((await runRow(run.id)).status).toBe("queued");
    await deliver(second);
    expect((await runRow(run.id)).status).toBe("completed");
    expect(await outputRows(run.id)).toHaveLength(1);
    const conflict = await call("POST", `/runs/${run.id}/execute`, { token: u.key });
    expect(conflict.status).toBe(409);

    const { run: other, job } = await queuedRun(u, skill);
    await json(await call("POST", `/runs/${other.id}/cancel`, { token: u.key }), 200);
    await deliver(job);
    expect((await runRow(other.id)).status).toBe("cancelled");
    expect(await outputRows(other.id)).toHaveLength(0);
  });

  it("another user's run: 404", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const { run } = await queuedRun(a, await skillWithFiles());
    expect((await call("POST", `/runs/${run.id}/execute`, { token: b.key })).status).toBe(404);
  });

  it("when the queue refuses the job, the run is executed after the response instead (once)", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "After the response." }]);
    const u = await createUser();
    const skill = await skillWithFiles();
    const refusing = {
      send: async () => {
        throw new Error("queue down");
      },
    } as unknown as Queue;
    const run = await json(
      await callWith({ JOBS: refusing }, "POST", "/runs", { token: u.key, body: { skill, userMessage: "Go", execute: true } }),
      201,
    );
    expect(run.status).toBe("queued");
    // callWith waits for the request's waitUntil work
    const row = await runRow(run.id);
    expect(row.status).toBe("completed");
    expect(row.inngest_event_id).toBe(run.inngestEventId);
    expect(await outputRows(run.id)).toHaveLength(1);
    expect((await chatApi.calls()).count).toBe(1);
  });

  it("a run cancelled while the model answers stays cancelled; its output is never shown (left pending for the sweep)", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "Too late.", delayMs: 400 }]);
    const u = await createUser();
    const { run, job } = await queuedRun(u, await skillWithFiles());
    const executing = executeRun(testEnv, run.id, job.jobId, logger);
    // wait until the job has claimed the run, then cancel it
    for (let i = 0; i < 50 && (await runRow(run.id)).status !== "running"; i++) await new Promise((r) => setTimeout(r, 20));
    await json(await call("POST", `/runs/${run.id}/cancel`, { token: u.key }), 200);
    await executing;
    expect((await runRow(run.id)).status).toBe("cancelled");
    const outs = await outputRows(run.id);
    expect(outs.map((o: any) => o.status)).toEqual(["pending"]);
    expect((await json(await call("GET", `/runs/${run.id}`, { token: u.key }), 200)).outputs).toEqual([]);
  });
});
