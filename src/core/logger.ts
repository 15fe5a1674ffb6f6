/** Structured JSON logs: one object per line, which Workers Logs indexes field by field. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Upstash errors quote the whole command (values included): keep only the Redis error text. */
export function redactCommand(message: string): string {
  return message.replace(/, command was: [^\n]*/g, "");
}

export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: redactCommand(String(err)) };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  return {
    error: redactCommand(err.message),
    errorName: err.name,
    stack: err.stack ? redactCommand(err.stack) : undefined,
    ...(cause && typeof cause === "object" ? { cause: String(cause.message ?? ""), causeCode: cause.code } : {}),
  };
}

export function createLogger(level: string | undefined, base: Record<string, unknown> = {}): Logger {
  const min = order[(level as LogLevel) ?? "info"] ?? order.info;
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < min) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields });
    if (lvl === "error") console.error(line);
    else if (lvl === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}
