import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { intVar, deadlines } from "../core/config";
import type { AppContext } from "./context";
import { createLogger } from "../core/logger";
import { HttpProblem, problemTypes } from "../core/problem";
import { DeadlineExceeded } from "../core/deadline";

/** Attaches a request-scoped logger and writes one access-log line per request. */
export const accessLog: MiddlewareHandler<AppContext> = async (c, next) => {
  const logger = createLogger(c.env?.LOG_LEVEL, { requestId: c.get("requestId") });
  c.set("logger", logger);
  const t0 = Date.now();
  await next();
  logger.info("request", {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Date.now() - t0,
    colo: (c.req.raw as { cf?: { colo?: string } }).cf?.colo,
  });
};

/** Rejects bodies over MAX_BODY_BYTES (default 1 MiB) with 413, whether or not Content-Length is sent. */
export const limitBody: MiddlewareHandler<AppContext> = (c, next) => {
  const maxSize = intVar(c.env?.MAX_BODY_BYTES, 1024 * 1024);
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpProblem({ status: 413, type: problemTypes.tooLarge, detail: `The request body exceeds ${maxSize} bytes.` });
    },
  })(c, next);
};

/**
 * The request's overall budget (REQUEST_BUDGET_MS): past it the caller gets 503 + Retry-After at once,
 * whatever the handler still awaits (each dependency call also has its own, shorter deadline).
 */
export const requestBudget: MiddlewareHandler<AppContext> = async (c, next) => {
  const ms = deadlines(c.env).requestMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded("request", ms)), ms);
  });
  try {
    await Promise.race([next(), expired]);
  } finally {
    clearTimeout(timer);
  }
};
