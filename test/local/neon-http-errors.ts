/** Error responses of the Neon SQL-over-HTTP stand-in (protocols.md A.7). */

/** A failure with an HTTP status; `db` carries the Postgres error fields when there is one. */
export class SqlHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly db?: PgErrorFields,
  ) {
    super(message);
  }
}

/** The fields of a pg DatabaseError that the proxy reports (pg already uses the proxy's key names). */
export interface PgErrorFields {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
}

export function isPgDbError(e: unknown): e is PgErrorFields {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "severity" in e && "routine" in e;
}

/** A Postgres error raised by the user's statement (or while connecting): 400 with every Postgres field. */
export function fromPg(e: unknown): SqlHttpError {
  if (isPgDbError(e)) return new SqlHttpError(400, e.message, e);
  // pg-side failures without a DbError (connection lost, ...) are still 400 for user statements in the proxy.
  return new SqlHttpError(400, e instanceof Error ? e.message : String(e));
}

export const cancelledBody = JSON.stringify({ message: "Query cancelled, connection was terminated", code: "08P01" });

/** The proxy's error JSON: every key always present, `code`/`severity` "" without a DbError. */
export function errorBody(err: SqlHttpError): string {
  const db = err.db;
  const f = (v: string | undefined) => v ?? null;
  return JSON.stringify({
    message: db ? db.message : err.message,
    code: db?.code ?? "",
    detail: f(db?.detail),
    hint: f(db?.hint),
    position: f(db?.position),
    internalPosition: f(db?.internalPosition),
    internalQuery: f(db?.internalQuery),
    severity: db?.severity ?? "",
    where: f(db?.where),
    table: f(db?.table),
    column: f(db?.column),
    schema: f(db?.schema),
    dataType: f(db?.dataType),
    constraint: f(db?.constraint),
    file: f(db?.file),
    line: f(db?.line),
    routine: f(db?.routine),
  });
}
