import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { errorFields } from "../../src/core/logger";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { callerOf } from "./auth";
import { chatDb } from "./db";
import { workflowJson } from "./responses";
import { agentInstances, workflows } from "./schema";
import type * as routes from "./workflows.routes";
import { RUN_WORKFLOW_JOB, type RunWorkflowJob, runWorkflow } from "./workflows.runner";

export const startWorkflow: RouteHandler<typeof routes.startWorkflow> = async (c) => {
  const body = c.req.valid("json");
  const userId = callerOf(c).id;
  const db = chatDb(c.env);
  const ownInstance = and(eq(agentInstances.id, body.agentInstanceId), eq(agentInstances.userId, userId));
  const [[row], [instance]] = await db.batch([
    db
      .insert(workflows)
      .select(
        db
          .select(
            selectRow(workflows, {
              id: crypto.randomUUID(),
              userId,
              agentInstanceId: body.agentInstanceId,
              workflowId: `chat-wf-${crypto.randomUUID()}`,
              status: "pending",
              goal: body.goal,
              steps: [],
              metadata: body.metadata,
            }),
          )
          .from(agentInstances)
          .where(and(ownInstance, eq(agentInstances.status, "active"))),
      )
      .returning(),
    db.select({ status: agentInstances.status }).from(agentInstances).where(ownInstance),
  ]);
  if (!row) {
    if (!instance) {
      throw new HttpProblem({
        status: 422,
        type: problemTypes.invalidReference,
        detail: "No agent instance of yours has this id.",
        errors: [{ path: "body.agentInstanceId", message: "references nothing of yours" }],
      });
    }
    throw conflict(`The agent instance is ${instance.status}; only an active instance runs workflows.`);
  }
  const job: RunWorkflowJob = { job: RUN_WORKFLOW_JOB, workflowId: row.id };
  try {
    await c.env.JOBS.send(job);
  } catch (err) {
    // Better a run bounded by waitUntil than none; the stale-workflow sweep fails what never finishes.
    c.get("logger").error("could not queue the workflow; running it after the response", errorFields(err));
    c.executionCtx.waitUntil(runWorkflow(c.env, row.id, c.get("logger")));
  }
  c.header("Location", `/v1/chat/workflows/${row.id}`);
  return c.json(workflowJson(row), 202);
};

const sortColumns = { createdAt: workflows.createdAt, updatedAt: workflows.updatedAt };

export const listWorkflows: RouteHandler<typeof routes.listWorkflows> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(workflows)
    .where(
      and(
        eq(workflows.userId, callerOf(c).id),
        q.status ? eq(workflows.status, q.status) : undefined,
        q.agentInstanceId ? eq(workflows.agentInstanceId, q.agentInstanceId) : undefined,
      ),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(workflows.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(workflowJson) }, 200);
};

export const getWorkflow: RouteHandler<typeof routes.getWorkflow> = async (c) => {
  const [row] = await chatDb(c.env)
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, c.req.valid("param").id), eq(workflows.userId, callerOf(c).id)));
  if (!row) throw notFound("No such workflow.");
  return c.json(workflowJson(row), 200);
};
