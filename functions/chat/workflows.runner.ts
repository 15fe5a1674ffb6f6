/**
 * Runs a workflow durably on the JOBS queue: `chat.runWorkflow` messages. The steps are fixed
 * (plan → act → summarize), each one model call whose record is appended to `steps` by a conditional
 * UPDATE that only succeeds at that step's index while the workflow is running. A redelivered or resumed
 * job reads `steps` and continues after the last finished one, so a finished step never runs twice; a step
 * whose model call fails fails the workflow with the reason in `result`. A database failure throws, and the
 * queue retries the message (the stale-workflow sweep fails what never finishes).
 */
import { and, eq, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { singleFlight } from "../../src/cache/single-flight";
import type { AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import { errorFields, type Logger } from "../../src/core/logger";
import { UpstreamError } from "../../src/core/upstream";
import { chatConfig } from "./config";
import { type ChatDb, chatDb } from "./db";
import { complete, type LlmMessage } from "./llm";
import { agentDefinitions, agentInstances, type Workflow, workflows } from "./schema";

export const RUN_WORKFLOW_JOB = "chat.runWorkflow";
export interface RunWorkflowJob {
  job: typeof RUN_WORKFLOW_JOB;
  workflowId: string;
}

export const WORKFLOW_STEPS = ["plan", "act", "summarize"] as const;
type StepName = (typeof WORKFLOW_STEPS)[number];

export interface StepRecord {
  index: number;
  name: StepName;
  status: "completed" | "failed";
  output: string | null;
  error?: string;
  model: string | null;
  startedAt: string;
  finishedAt: string;
}

interface Brief {
  goal: string;
  agentName: string;
  systemPrompt: string;
  done: StepRecord[];
}

const prompts: Record<StepName, (b: Brief) => string> = {
  plan: (b) => `Goal: ${b.goal}\n\nWrite a short numbered plan (at most 5 steps) to reach this goal.`,
  act: (b) => `Goal: ${b.goal}\n\nPlan:\n${b.done[0]?.output ?? ""}\n\nCarry out the plan and report what you did and found.`,
  summarize: (b) => `Goal: ${b.goal}\n\nWork done:\n${b.done[1]?.output ?? ""}\n\nSummarize the outcome for the user in a few sentences.`,
};

function messagesFor(step: StepName, b: Brief): LlmMessage[] {
  return [
    {
      role: "system",
      content: `${b.systemPrompt}\n\nYou are the agent "${b.agentName}", working through a goal step by step (step: ${step}).`,
    },
    { role: "user", content: prompts[step](b) },
  ];
}

/** Appends step `index` (and finishes the workflow when `finish` is given); false when someone else moved it first. */
async function appendStep(db: ChatDb, id: string, step: StepRecord, finish?: Pick<Workflow, "status" | "result">): Promise<boolean> {
  const rows = await db
    .update(workflows)
    .set({ steps: sql`coalesce(${workflows.steps}, '[]'::jsonb) || ${JSON.stringify([step])}::jsonb`, ...finish })
    .where(
      and(
        eq(workflows.id, id),
        eq(workflows.status, "running"),
        sql`jsonb_array_length(coalesce(${workflows.steps}, '[]'::jsonb)) = ${step.index}`,
      ),
    )
    .returning({ id: workflows.id });
  return rows.length > 0;
}

async function drive(env: AppEnv, id: string, logger: Logger): Promise<void> {
  const db = chatDb(env);
  const cfg = chatConfig(env);
  const [, [row]] = await db.batch([
    db
      .update(workflows)
      .set({ status: "running" })
      .where(and(eq(workflows.id, id), eq(workflows.status, "pending")))
      .returning({ id: workflows.id }),
    db
      .select({
        wf: workflows,
        agentName: agentDefinitions.name,
        systemPrompt: agentDefinitions.systemPrompt,
        configuration: agentInstances.configuration,
      })
      .from(workflows)
      .leftJoin(agentInstances, eq(agentInstances.id, workflows.agentInstanceId))
      .leftJoin(agentDefinitions, eq(agentDefinitions.id, agentInstances.definitionId))
      .where(eq(workflows.id, id)),
  ]);
  if (row?.wf.status !== "running") {
    logger.info("workflow not runnable; nothing to do", { status: row?.wf.status ?? "missing" });
    return;
  }
  const model = typeof row.configuration?.model === "string" && row.configuration.model ? row.configuration.model : cfg.llmModel;
  const brief: Brief = {
    goal: row.wf.goal,
    agentName: row.agentName ?? "assistant",
    systemPrompt: row.systemPrompt ?? "You are a helpful assistant.",
    done: [...((row.wf.steps ?? []) as unknown as StepRecord[])],
  };
  for (let index = brief.done.length; index < WORKFLOW_STEPS.length; index++) {
    const name = WORKFLOW_STEPS[index]!;
    const startedAt = new Date().toISOString();
    let step: StepRecord;
    try {
      const answer = await complete(cfg, model, messagesFor(name, brief));
      step = {
        index,
        name,
        status: "completed",
        output: answer.content,
        model: answer.model,
        startedAt,
        finishedAt: new Date().toISOString(),
      };
    } catch (err) {
      const reason = err instanceof UpstreamError ? err.message : "internal error";
      if (!(err instanceof UpstreamError)) logger.error("workflow step failed", { step: name, ...errorFields(err) });
      step = { index, name, status: "failed", output: null, error: reason, model, startedAt, finishedAt: new Date().toISOString() };
      await appendStep(db, id, step, { status: "failed", result: { error: reason, failedStep: name } });
      return;
    }
    const last = index === WORKFLOW_STEPS.length - 1;
    const finish = last ? { status: "completed" as const, result: { summary: step.output, steps: WORKFLOW_STEPS.length } } : undefined;
    if (!(await appendStep(db, id, step, finish))) {
      logger.warn("workflow moved on elsewhere; stopping", { step: name });
      return;
    }
    brief.done.push(step);
  }
}

export async function runWorkflow(env: AppEnv, id: string, logger: Logger): Promise<void> {
  const cache = createCache(env, logger);
  const ran = await singleFlight.runIfIdle(
    `chat:workflow:${id}`,
    async () => {
      await drive(env, id, logger);
      return true;
    },
    { redis: cache.redis, lockKey: `chat:workflow:${id}:lock`, lockTtlMs: chatConfig(env).workflowTimeoutMs, logger },
  );
  if (!ran) logger.warn("workflow already running elsewhere; skipped", { workflowId: id });
}

export const chatJobs: JobTable = {
  [RUN_WORKFLOW_JOB]: (body, { env, logger }) => runWorkflow(env, String(body.workflowId), logger.child({ workflowId: body.workflowId })),
};
