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

/** drizzle's DrizzleQueryError quotes the bound parameters (`\nparams: …`): drop them. */
export function dropParams(message: string): string {
  return message.replace(/\nparams: [^\n]*/g, "\nparams: [omitted]");
}

const scrub = (m: string) => dropParams(redactCommand(m));

export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: scrub(String(err)) };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  return {
    error: scrub(err.message),
    errorName: err.name,
    stack: err.stack ? scrub(err.stack) : undefined,
    ...(cause && typeof cause === "object" ? { cause: scrub(String(cause.message ?? "")), causeCode: cause.code } : {}),
  };
}

const SECRET_FIELD = /pass(word|wd|phrase)?$|secret|token|api_?key|^key$|_key$|[a-z]Key$|authorization|cookie|credential|signature/i;
const SECRET_SHAPES: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, "$1 [redacted]"],
  // JWTs (and JWS/JWE compact forms)
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*(\.[\w-]*){0,2}/g, "[redacted-jwt]"],
  // our API keys `<prefix>_<lookup>_<secret>`: the public lookup part stays
  [/\b([a-z]{1,8}_[a-z0-9]{12})_[\w-]{16,}/g, "$1_[redacted]"],
  // common vendor shapes: sk-…, sk_live_…, rk_…, whsec_…, GitHub, Slack, AWS access keys
  [/\b(sk|rk|pk)[-_][\w-]{16,}/g, "[redacted-key]"],
  [/\b(whsec|ghp|gho|ghs|github_pat|xox[abprs])_?[\w-]{16,}/g, "[redacted-key]"],
  [/\bAKIA[0-9A-Z]{16}\b/g, "[redacted-key]"],
  // credentials in URLs
  [/(\/\/)[^\s/@:"]+:[^\s/@"]+@/g, "$1[redacted]@"],
  // key=value / "key": "value" pairs with a secret-sounding name
  [/((?:password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, "$1[redacted]"],
];

function redactString(s: string): string {
  let out = s;
  for (const [re, to] of SECRET_SHAPES) out = out.replace(re, to);
  return out;
}

/** One pass over a log record: secret-named fields are blanked, secret shapes in any string are masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      SECRET_FIELD.test(k) && v !== undefined && v !== null && typeof v !== "boolean" && typeof v !== "number"
        ? "[redacted]"
        : redact(v, depth + 1);
  }
  return out;
}

export function createLogger(level: string | undefined, base: Record<string, unknown> = {}): Logger {
  const min = order[(level as LogLevel) ?? "info"] ?? order.info;
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < min) return;
    const line = JSON.stringify(redact({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields }));
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
