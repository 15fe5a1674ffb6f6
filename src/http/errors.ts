/** The one error handler: every thrown error becomes problem+json, and nothing internal leaks. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { DeadlineExceeded } from "../core/deadline";
import { dbErrorToProblem } from "../db/errors";
import type { AppContext } from "./context";
import { createLogger, errorFields } from "../core/logger";
import { type FieldError, HttpProblem, problemJson, problemTypes } from "../core/problem";

export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  // A deadline that expired inside a driver call arrives wrapped (DrizzleQueryError → DeadlineExceeded).
  for (
    let cur = (err as { cause?: unknown } | null)?.cause, depth = 0;
    cur && depth < 6;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    if (cur instanceof DeadlineExceeded) return cur;
  }
  if (err instanceof HTTPException) {
    // Hono's own messages (malformed JSON, payload too large …) are safe to show.
    const type = err.status === 413 ? problemTypes.tooLarge : err.status === 400 ? problemTypes.malformed : "about:blank";
    return new HttpProblem({ status: err.status, type, detail: err.message || undefined, cause: err });
  }
  const fromDb = dbErrorToProblem(err);
  if (fromDb) return fromDb;
  return new HttpProblem({
    status: 500,
    type: problemTypes.internal,
    detail: "Something went wrong on our side. The request id identifies it in our logs.",
    cause: err,
  });
}

/** A problem response that carries the request id like every other response. */
export function respondProblem(c: Context<AppContext>, problem: HttpProblem): Response {
  const res = problemJson(problem, { instance: c.req.path, requestId: c.get("requestId") });
  const id = c.get("requestId");
  if (id) res.headers.set("X-Request-Id", id);
  return res;
}

export function handleError(err: unknown, c: Context<AppContext>): Response {
  const problem = toProblem(err);
  const logger = c.get("logger") ?? createLogger(c.env?.LOG_LEVEL);
  const fields = { status: problem.status, path: c.req.path, ...errorFields(problem.cause ?? err) };
  if (problem.status >= 500) logger.error("request failed", fields);
  else logger.info("request rejected", { ...fields, stack: undefined });
  return respondProblem(c, problem);
}

export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

/** zod-openapi's defaultHook: a failed validation answers 400 naming each field. */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }, c: Context<AppContext>) {
  if (result.success || !result.error) return;
  const where = result.target === "json" ? "body" : result.target === "param" ? "path" : result.target;
  const problem = new HttpProblem({
    status: 400,
    type: problemTypes.validation,
    detail: `The request ${where} is invalid.`,
    errors: zodFieldErrors(result.error, where),
  });
  return respondProblem(c, problem);
}
