/** Workflows: started by the API, run on the JOBS queue step by step; resumed runs never redo a finished step. */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { runWorkflow } from "../../../functions/chat/workflows.runner";
import { createLogger } from "../../../src/core/logger";
import worker from "../../../src/index";
import { testEnv } from "../helpers";
import { call, expectJson, llm, newUser, sql, type TestUser, waitFor } from "./helpers";

const logger = createLogger("warn");

async function instance(u: TestUser, status: "active" | "paused" = "active") {
  const d = await expectJson(
    await call(u, "POST", "/agent-definitions", { name: "Planner", description: "plans", systemPrompt: "You plan trips." }),
    201,
  );
  const i = await expectJson<{ id: string }>(
    await call(u, "POST", "/agent-instances", { definitionId: d.id, name: "Trip agent", configuration: { model: "fake/workflow" } }),
    201,
  );
  if (status === "paused") await expectJson(await call(u, "POST", `/agent-instances/${i.id}/pause`), 200);
  return i;
}

const rowOf = async (id: string) =>
  (
    await sql<{ status: string; steps: any[]; result: any; workflow_id: string }>(
      "SELECT status, steps, result, workflow_id FROM chat.workflows WHERE id = $1",
      [id],
    )
  )[0]!;

beforeEach(async () => {
  await llm.reset();
  await llm.rules([
    { match: "step: plan", content: "1. Pick a city 2. Book" },
    { match: "step: act", content: "Picked Oslo and booked." },
    { match: "step: summarize", content: "Trip to Oslo booked." },
  ]);
});

describe("chat workflows", () => {
  it("POST /workflows answers 202 pending, and the queue consumer runs it to completed with three steps", async () => {
    const u = await newUser();
    const inst = await instance(u);
    const res = await call(u, "POST", "/workflows", { agentInstanceId: inst.id, goal: "Plan a weekend trip" });
    expect(res.status).toBe(202);
    expect(res.headers.get("Location")).toMatch(/^\/v1\/chat\/workflows\//);
    const wf = await res.json<any>();
    expect(wf).toMatchObject({ status: "pending", steps: [], agentInstanceId: inst.id });
    expect(wf.workflowId).toMatch(/^chat-wf-/);
    await waitFor(async () => (await rowOf(wf.id)).status === "completed", 15_000);
    const done = await expectJson(await call(u, "GET", `/workflows/${wf.id}`), 200);
    expect(done.steps.map((s: any) => [s.name, s.status, s.output])).toEqual([
      ["plan", "completed", "1. Pick a city 2. Book"],
      ["act", "completed", "Picked Oslo and booked."],
      ["summarize", "completed", "Trip to Oslo booked."],
    ]);
    expect(done.result).toEqual({ summary: "Trip to Oslo booked.", steps: 3 });
    const calls = (await llm.calls()).calls;
    expect(calls).toHaveLength(3);
    expect(calls.every((c: any) => c.model === "fake/workflow")).toBe(true);
    expect(calls[1].messages[1].content).toContain("1. Pick a city 2. Book");
    expect((await expectJson(await call(u, "GET", "/workflows?status=completed"), 200)).items.map((w: any) => w.id)).toEqual([wf.id]);
  });

  it("a resumed run continues after the last finished step and never runs it again", async () => {
    const u = await newUser();
    const inst = await instance(u);
    const step0 = {
      index: 0,
      name: "plan",
      status: "completed",
      output: "EXISTING PLAN",
      model: "fake/workflow",
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:01.000Z",
    };
    const [row] = await sql<{ id: string }>(
      `INSERT INTO chat.workflows (user_id, agent_instance_id, workflow_id, status, goal, steps)
      VALUES ($1, $2, 'chat-wf-crashed', 'running', 'Resume me', $3::jsonb) RETURNING id`,
      [u.id, inst.id, JSON.stringify([step0])],
    );
    const batch = createMessageBatch("edge-backend-jobs", [
      { id: "m1", timestamp: new Date(), attempts: 2, body: { job: "chat.runWorkflow", workflowId: row!.id } },
    ]);
    await worker.queue(batch, testEnv);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["m1"]);
    const after = await rowOf(row!.id);
    expect(after.status).toBe("completed");
    expect(after.steps.map((s: any) => s.name)).toEqual(["plan", "act", "summarize"]);
    expect(after.steps[0]).toEqual(step0);
    const calls = (await llm.calls()).calls;
    expect(calls.map((c: any) => /step: (\w+)/.exec(c.messages[0].content)![1])).toEqual(["act", "summarize"]);
    expect(calls[0].messages[1].content).toContain("EXISTING PLAN");
    // a redelivery after completion does nothing
    await runWorkflow(testEnv, row!.id, logger);
    expect((await llm.calls()).count).toBe(2);
  });

  it("a step whose model call fails fails the workflow cleanly, with the reason in result", async () => {
    const u = await newUser();
    const inst = await instance(u);
    await llm.rules([
      { match: "step: plan", content: "a plan" },
      { match: "step: act", status: 500 },
    ]);
    const [row] = await sql<{ id: string }>(
      `INSERT INTO chat.workflows (user_id, agent_instance_id, workflow_id, status, goal, steps) VALUES ($1, $2, 'chat-wf-f', 'pending', 'Fail me', '[]') RETURNING id`,
      [u.id, inst.id],
    );
    await runWorkflow(testEnv, row!.id, logger);
    const after = await rowOf(row!.id);
    expect(after.status).toBe("failed");
    expect(after.steps.map((s: any) => [s.name, s.status])).toEqual([
      ["plan", "completed"],
      ["act", "failed"],
    ]);
    expect(after.result).toEqual({ error: "language model API: answered HTTP 500", failedStep: "act" });
  });

  it("refuses a paused instance (409), another user's instance (422) and bad input (400)", async () => {
    const u = await newUser();
    const other = await newUser();
    const paused = await instance(u, "paused");
    const foreign = await instance(other);
    expect((await call(u, "POST", "/workflows", { agentInstanceId: paused.id, goal: "x" })).status).toBe(409);
    expect((await call(u, "POST", "/workflows", { agentInstanceId: foreign.id, goal: "x" })).status).toBe(422);
    expect((await call(u, "POST", "/workflows", { agentInstanceId: paused.id, goal: "" })).status).toBe(400);
    expect(await sql("SELECT 1 FROM chat.workflows WHERE user_id = $1", [u.id])).toHaveLength(0);
    const wf = await expectJson(await call(other, "POST", "/workflows", { agentInstanceId: foreign.id, goal: "Theirs" }), 202);
    expect((await call(u, "GET", `/workflows/${wf.id}`)).status).toBe(404);
    await waitFor(async () => (await rowOf(wf.id)).status === "completed", 15_000);
  });
});
