/**
 * One run of a job (the `scheduler.run` queue job): start (1 round trip), call each endpoint with its own
 * timeout, optionally ask the model, then finish (1 round trip). Nothing here throws for an endpoint or
 * model failure: those are the run's outcome. The backoff after a failed run:
 *   next run = the later of the next scheduled time and now + BACKOFF_MINUTES[failures − 1] (1, 5, 15, 60, 60 … min);
 *   the SCHEDULER_MAX_FAILURES-th failure in a row (default 5) pauses the job with a system message saying why.
 */
import type { AppEnv } from "../../src/env";
import { chatCompletion, type ChatMessage } from "../../src/core/chat-completions";
import type { Logger } from "../../src/core/logger";
import { HttpProblem } from "../../src/core/problem";
import { UpstreamError } from "../../src/core/upstream";
import { outboundAllowList } from "../../src/core/config";
import { assertPublicUrl } from "../../src/core/url-guard";
import { schedulerConfig } from "./config";
import { requestHeaders } from "./endpoint-secrets";
import { finishRun, type RunOutcome, type StartedRun, startRun, type TaskOutcome } from "./runs.store";
import { nextRun, toCron } from "./schedule";
import type { Endpoint } from "./schema";

export const BACKOFF_MINUTES = [1, 5, 15, 60] as const;
export const RESPONSE_LIMIT = 2000;

export function backoffMs(failures: number): number {
  return BACKOFF_MINUTES[Math.min(Math.max(failures, 1), BACKOFF_MINUTES.length) - 1]! * 60_000;
}

const cut = (s: string, n = RESPONSE_LIMIT) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function callEndpoint(env: AppEnv, e: Endpoint, taskId: string): Promise<TaskOutcome> {
  const t0 = Date.now();
  const fail = (error: string, httpStatus: number | null = null, response: string | null = null): TaskOutcome => ({
    taskId,
    status: "FAILED",
    httpStatus,
    durationMs: Date.now() - t0,
    response,
    error,
  });
  let url: URL;
  try {
    url = assertPublicUrl(e.url, { allowHosts: outboundAllowList(env) });
  } catch (err) {
    return fail(`refused: ${err instanceof HttpProblem ? err.detail : "the URL is not allowed"}`);
  }
  let headers: Record<string, string>;
  try {
    headers = await requestHeaders(env, e);
  } catch {
    return fail("the endpoint's secrets could not be opened (SCHEDULER_SECRET_KEY changed?)");
  }
  const signal = AbortSignal.timeout(e.timeoutMs);
  try {
    const withBody = e.body !== null && e.method !== "GET" && e.method !== "DELETE";
    const res = await fetch(url, { method: e.method, headers, body: withBody ? e.body : undefined, signal, redirect: "manual" });
    const text = cut(await res.text());
    if (res.status >= 200 && res.status < 300)
      return { taskId, status: "SUCCEEDED", httpStatus: res.status, durationMs: Date.now() - t0, response: text, error: null };
    return fail(`answered HTTP ${res.status}`, res.status, text);
  } catch (err) {
    if (signal.aborted) return fail(`no answer within ${e.timeoutMs} ms`);
    return fail(`unreachable (${err instanceof Error ? err.message : String(err)})`);
  }
}

function llmMessages(run: StartedRun, results: { endpoint: Endpoint; outcome: TaskOutcome }[]): ChatMessage[] {
  const context = run.context.map((c) => `- ${c.key}: ${c.value}`).join("\n") || "(none)";
  const calls =
    results
      .map(
        ({ endpoint, outcome }) =>
          `### ${endpoint.name} (${endpoint.method} ${endpoint.url}) → ${outcome.httpStatus ?? "no answer"}${outcome.error ? ` (${outcome.error})` : ""}\n${outcome.response ?? ""}`,
      )
      .join("\n\n") || "(no endpoints)";
  return [
    {
      role: "system",
      content: "You are the step of a scheduled job that reads the results of its HTTP calls and reports on them briefly and factually.",
    },
    { role: "user", content: `Job: ${run.job.definitionNL}\n\nContext:\n${context}\n\nEndpoint results:\n${calls}` },
  ];
}

/** Runs the job the claim `token` holds; returns what happened, or "skipped" when it is not (or no longer) ours. */
export async function runJob(env: AppEnv, jobId: string, token: string, logger: Logger): Promise<"skipped" | RunOutcome> {
  const run = await startRun(env, jobId, token);
  if (!run) {
    logger.info("run skipped: lease not held (already started, or reclaimed)", { jobId });
    return "skipped";
  }
  const cfg = schedulerConfig(env);
  const byId = new Map(run.endpoints.map((e) => [e.id, e]));
  const results = await Promise.all(
    run.tasks.map(async (t) => {
      const endpoint = byId.get(t.endpointId ?? "")!;
      return { endpoint, outcome: await callEndpoint(env, endpoint, t.id) };
    }),
  );
  const failed = results.filter((r) => r.outcome.status === "FAILED" && !r.endpoint.fireAndForget);
  const messages: RunOutcome["messages"] = [];
  const tokens = { input: 0, output: 0, total: 0 };
  const summary = results.map((r) => ({
    endpoint: r.endpoint.name,
    status: r.outcome.status,
    httpStatus: r.outcome.httpStatus,
    durationMs: r.outcome.durationMs,
    error: r.outcome.error,
  }));
  let llmError: string | null = null;
  if (run.job.llmModel) {
    try {
      if (!cfg.llmApiKey) throw new Error("no LLM API key is configured (SCHEDULER_LLM_API_KEY)");
      const answer = await chatCompletion({
        baseUrl: cfg.llmBaseUrl,
        apiKey: cfg.llmApiKey,
        model: run.job.llmModel,
        messages: llmMessages(run, results),
        timeoutMs: cfg.llmTimeoutMs,
        title: "edge-backend scheduler",
      });
      tokens.input = answer.promptTokens;
      tokens.output = answer.completionTokens;
      tokens.total = answer.totalTokens;
      messages.push({
        role: "assistant",
        content: answer.content,
        metadata: {
          runId: token,
          model: answer.model,
          inputTokens: answer.promptTokens,
          outputTokens: answer.completionTokens,
          totalTokens: answer.totalTokens,
          endpoints: summary,
        },
      });
    } catch (err) {
      llmError = err instanceof UpstreamError ? err.message : err instanceof Error ? err.message : String(err);
    }
  }
  const ok = failed.length === 0 && llmError === null;
  if (!messages.length || llmError) {
    const text = ok
      ? `Run succeeded: ${results.length} endpoint call(s).`
      : `Run failed: ${[...failed.map((f) => `${f.endpoint.name} ${f.outcome.error}`), ...(llmError ? [`LLM step: ${llmError}`] : [])].join("; ")}.`;
    messages.push({ role: "tool", content: text, metadata: { runId: token, ok, endpoints: summary } });
  }

  const now = new Date();
  let cron = run.job.cronExpression;
  let pause: RunOutcome["pause"];
  try {
    cron ??= toCron(run.job.definitionNL);
  } catch {
    cron = null;
  }
  let next = cron ? nextRun(cron, run.job.timezone, now) : null;
  const failures = ok ? 0 : run.job.consecutiveFailures + 1;
  if (!ok && next) next = new Date(Math.max(next.getTime(), now.getTime() + backoffMs(failures)));
  if (!ok && failures >= cfg.maxFailures) {
    pause = {
      content: `Paused after ${failures} failed runs in a row. Last failure: ${messages.at(-1)!.content} Resume the job once the cause is fixed.`,
      metadata: { runId: token, reason: "consecutive-failures", failures },
    };
  } else if (!cron) {
    pause = {
      content: `Paused: the schedule "${run.job.definitionNL}" could not be understood, so no next run can be computed.`,
      metadata: { runId: token, reason: "schedule" },
    };
  }
  const outcome: RunOutcome = { ok, tasks: results.map((r) => r.outcome), messages, tokens, nextRunAt: next, pause };
  await finishRun(env, run, outcome);
  logger.info("run done", { jobId, ok, tasks: results.length, failures, paused: Boolean(pause) });
  return outcome;
}
