/**
 * Calls to third-party HTTP APIs: a hard timeout, a bounded body, JSON validated with zod, and every
 * failure turned into one typed `UpstreamError`, so callers decide between "serve stale", "404" and
 * "503 with Retry-After" without parsing messages. Upstream bodies and messages never reach clients.
 */
import type { z } from "zod";
import { DEADLINE_DEFAULTS, deadlines } from "./config";
import type { AppEnv } from "./env";
import { HttpProblem, problemTypes } from "./problem";

export type UpstreamFailure =
  | { kind: "timeout"; ms: number }
  | { kind: "network"; message: string }
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "invalid"; message: string };

export class UpstreamError extends Error {
  constructor(
    readonly upstream: string,
    readonly failure: UpstreamFailure,
    options?: { cause?: unknown },
  ) {
    super(`${upstream}: ${describe(failure)}`, options);
    this.name = "UpstreamError";
  }

  /** A failure worth retrying later (and serving stale data meanwhile): timeouts, network errors, 429, 5xx. */
  get transient(): boolean {
    const f = this.failure;
    return f.kind === "timeout" || f.kind === "network" || (f.kind === "status" && (f.status === 429 || f.status >= 500));
  }

  get status(): number | undefined {
    return this.failure.kind === "status" ? this.failure.status : undefined;
  }
}

function describe(f: UpstreamFailure): string {
  switch (f.kind) {
    case "timeout":
      return `no answer within ${f.ms} ms`;
    case "network":
      return `unreachable (${f.message})`;
    case "status":
      return `answered HTTP ${f.status}`;
    case "invalid":
      return `answered something unexpected (${f.message})`;
  }
}

export interface FetchJsonOptions<S extends z.ZodType> {
  /** names the upstream in errors and logs, e.g. "dress API" */
  upstream: string;
  schema: S;
  /** the caller's own deadline; default: `UPSTREAM_TIMEOUT_MS` of `env` (src/core/config.ts deadlines, 10 s) */
  timeoutMs?: number;
  /** where the default deadline is read from when `timeoutMs` is not given */
  env?: AppEnv;
  init?: RequestInit;
  /** bodies larger than this are refused (default 5 MiB) */
  maxBytes?: number;
}

function retryAfterSeconds(res: Response): number | undefined {
  const raw = res.headers.get("Retry-After");
  if (!raw) return undefined;
  const secs = /^\d+$/.test(raw) ? Number(raw) : Math.ceil((Date.parse(raw) - Date.now()) / 1000);
  return Number.isFinite(secs) && secs > 0 ? Math.min(secs, 3600) : undefined;
}

/** GET/POST `url` and parse the JSON answer with `schema`; throws UpstreamError on anything else. */
export async function fetchJson<S extends z.ZodType>(url: string, opts: FetchJsonOptions<S>): Promise<z.infer<S>> {
  const { upstream } = opts;
  const timeoutMs = opts.timeoutMs ?? (opts.env ? deadlines(opts.env).upstreamMs : DEADLINE_DEFAULTS.UPSTREAM_TIMEOUT_MS);
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...opts.init, signal, headers: { Accept: "application/json", ...opts.init?.headers } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamError(upstream, { kind: "status", status: res.status, retryAfterSeconds: retryAfterSeconds(res) });
    }
    const declared = Number(res.headers.get("Content-Length"));
    const max = opts.maxBytes ?? 5 * 1024 * 1024;
    if (declared > max) {
      await res.body?.cancel();
      throw new UpstreamError(upstream, { kind: "invalid", message: `body of ${declared} bytes` });
    }
    text = await res.text();
    if (text.length > max) throw new UpstreamError(upstream, { kind: "invalid", message: `body of ${text.length} chars` });
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    // The timeout signal may fire during fetch() or while the body streams in.
    if (signal.aborted) throw new UpstreamError(upstream, { kind: "timeout", ms: timeoutMs }, { cause: err });
    throw new UpstreamError(upstream, { kind: "network", message: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UpstreamError(upstream, { kind: "invalid", message: "not JSON" }, { cause: err });
  }
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UpstreamError(
      upstream,
      { kind: "invalid", message: `${first?.path.join(".") || "body"}: ${first?.message}` },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * The client-facing problem for a failed upstream call: 503 with Retry-After when retrying later may help
 * (timeouts, network, 429, 5xx), 502 when the upstream answered something we cannot use.
 */
export function upstreamProblem(err: UpstreamError, opts: { retryAfterSeconds?: number } = {}): HttpProblem {
  if (err.transient) {
    const f = err.failure;
    const retry = (f.kind === "status" ? f.retryAfterSeconds : undefined) ?? opts.retryAfterSeconds ?? 5;
    const why = f.kind === "timeout" ? "did not answer in time" : "is unavailable";
    return new HttpProblem({
      status: 503,
      type: problemTypes.unavailable,
      cause: err,
      detail: `The ${err.upstream} ${why} and nothing usable is cached. Retry in ${retry} s.`,
      headers: { "Retry-After": String(retry) },
    });
  }
  return new HttpProblem({
    status: 502,
    type: "/problems/bad-gateway",
    cause: err,
    detail: `The ${err.upstream} answered something this API cannot use.`,
  });
}

/** For a problem made by upstreamProblem() from an outage: its Retry-After (at most 30 s); otherwise 0. */
export function upstreamOutageSeconds(problem: HttpProblem): number {
  if (problem.status !== 503 || !(problem.cause instanceof UpstreamError)) return 0;
  return Math.min(30, Number(problem.headers?.["Retry-After"] ?? 0) || 0);
}
