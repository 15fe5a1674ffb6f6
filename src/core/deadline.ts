/**
 * Deadlines on dependency calls. A call that does not settle in time rejects with a 503 problem
 * (Retry-After) at once; when the call takes a signal it is also aborted, so no work lingers.
 */
import { HttpProblem, problemTypes } from "./problem";

export class DeadlineExceeded extends HttpProblem {
  constructor(
    readonly what: string,
    readonly ms: number,
    retryAfterSeconds = 2,
  ) {
    super({
      status: 503,
      type: problemTypes.unavailable,
      detail: `The ${what} did not answer within ${ms} ms. Retry shortly.`,
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
    this.name = "DeadlineExceeded";
  }
}

export async function withDeadline<T>(p: Promise<T> | ((signal: AbortSignal) => Promise<T>), ms: number, what: string): Promise<T> {
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineExceeded(what, ms);
      ctrl.abort(err);
      reject(err);
    }, ms);
  });
  try {
    const work = typeof p === "function" ? p(ctrl.signal) : p;
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `err` (or a cause) is an abort or timeout of a fetch. */
export function isAbort(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const e = cur as { name?: string; cause?: unknown };
    if (e.name === "AbortError" || e.name === "TimeoutError" || e instanceof DeadlineExceeded) return true;
    cur = e.cause;
  }
  return false;
}
