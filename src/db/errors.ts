/**
 * Maps Postgres failures to problem responses. Since drizzle 0.44 driver errors arrive
 * wrapped in DrizzleQueryError, so the SQLSTATE is looked up along the `cause` chain.
 * Messages from Postgres never reach the client: they can quote SQL and stored values.
 */
import { type FieldError, HttpProblem, problemTypes } from "../core/problem";

export interface PgErrorInfo {
  code: string;
  message: string;
  detail?: string;
  column?: string;
  constraint?: string;
  table?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function findPgError(err: unknown): PgErrorInfo | null {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const e = cur as Record<string, unknown>;
    if (typeof e.code === "string" && SQLSTATE.test(e.code)) {
      return {
        code: e.code,
        message: String(e.message ?? ""),
        detail: typeof e.detail === "string" ? e.detail : undefined,
        column: typeof e.column === "string" ? e.column : undefined,
        constraint: typeof e.constraint === "string" ? e.constraint : undefined,
        table: typeof e.table === "string" ? e.table : undefined,
      };
    }
    cur = e.cause;
  }
  return null;
}

/** True when the HTTP driver could not reach the database at all (or the proxy failed). */
function isConnectionFailure(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const e = cur as { name?: string; message?: string; cause?: unknown };
    if (e.name === "NeonDbError" && /Error connecting to database|Server error \(HTTP status 5\d\d\)/.test(e.message ?? "")) return true;
    cur = e.cause;
  }
  return false;
}

/** Column names from a detail such as `Key (user_id, slug)=(…) already exists.` — values are dropped. */
function keyColumns(detail?: string): string[] {
  const m = detail?.match(/^Key \(([^)]+)\)=/);
  return m?.[1] ? m[1].split(",").map((s) => s.trim().replace(/^"|"$/g, "")) : [];
}

function fieldErrors(paths: string[], message: string): FieldError[] {
  return paths.map((path) => ({ path, message }));
}

export function dbErrorToProblem(err: unknown): HttpProblem | null {
  const pg = findPgError(err);
  if (!pg) {
    if (isConnectionFailure(err)) {
      return new HttpProblem({
        status: 503,
        type: problemTypes.unavailable,
        detail: "The database is unavailable. Try again shortly.",
        headers: { "Retry-After": "2" },
        cause: err,
      });
    }
    return null;
  }
  const cls = pg.code.slice(0, 2);
  switch (pg.code) {
    case "23505": {
      const cols = keyColumns(pg.detail);
      return new HttpProblem({
        status: 409,
        type: problemTypes.conflict,
        cause: err,
        detail: cols.length
          ? `A resource with the same ${cols.join(", ")} already exists.`
          : "A resource with the same unique value already exists.",
        errors: fieldErrors(cols, "must be unique"),
      });
    }
    case "23503": {
      const cols = keyColumns(pg.detail);
      if (pg.detail?.includes("is still referenced")) {
        return new HttpProblem({
          status: 409,
          type: problemTypes.conflict,
          cause: err,
          detail: "The resource is still referenced by other resources.",
        });
      }
      return new HttpProblem({
        status: 422,
        type: problemTypes.invalidReference,
        cause: err,
        detail: "A referenced resource does not exist.",
        errors: fieldErrors(cols, "references a resource that does not exist"),
      });
    }
    case "23502":
      return new HttpProblem({
        status: 400,
        type: problemTypes.validation,
        cause: err,
        detail: "A required value is missing.",
        errors: pg.column ? fieldErrors([pg.column], "is required") : undefined,
      });
    case "23514":
      return new HttpProblem({
        status: 400,
        type: problemTypes.validation,
        cause: err,
        detail: `A value is outside its allowed range${pg.constraint ? ` (${pg.constraint})` : ""}.`,
      });
    case "22001":
      return new HttpProblem({ status: 400, type: problemTypes.validation, cause: err, detail: "A value is longer than allowed." });
    case "22003":
      return new HttpProblem({ status: 400, type: problemTypes.validation, cause: err, detail: "A number is out of range." });
    case "40001":
    case "40P01":
      return new HttpProblem({
        status: 503,
        type: problemTypes.unavailable,
        cause: err,
        detail: "The request conflicted with a concurrent one. Retry it.",
        headers: { "Retry-After": "1" },
      });
    case "57014":
      return new HttpProblem({
        status: 503,
        type: problemTypes.unavailable,
        cause: err,
        detail: "The database took too long to answer.",
        headers: { "Retry-After": "2" },
      });
  }
  if (cls === "22")
    return new HttpProblem({ status: 400, type: problemTypes.validation, cause: err, detail: "A value has the wrong format." });
  if (cls === "08" || cls === "53" || cls === "57" || pg.code === "3D000" || pg.code === "28P01") {
    return new HttpProblem({
      status: 503,
      type: problemTypes.unavailable,
      cause: err,
      detail: "The database is unavailable. Try again shortly.",
      headers: { "Retry-After": "2" },
    });
  }
  return null;
}
