/**
 * Issue 15 §6: every log line the Worker writes while a suite runs is captured (the app runs in the test's
 * isolate, and src/core/logger.ts writes through console.log/warn/error — observed here, not replaced: each call
 * still reaches the real console) and scanned for the secrets the suite used: every bearer token and signature
 * header send() sent, the secret bindings of the test env, and values a suite registers (endpoint secrets,
 * setting values), plus the shapes of JWTs and API keys that were not redacted.
 */
import { expect } from "vitest";
import { testEnv } from "../helpers";

const lines: string[] = [];
const secrets = new Set<string>();
let installed = false;

/** Secret bindings of the workerd test env (see test/worker/<module>/setup.ts and global-setup.ts). */
const SECRET_BINDINGS = [
  "ADMIN_TOKEN",
  "SUPABASE_JWT_SECRET",
  "STRIPE_WEBHOOK_SECRET",
  "CLERK_WEBHOOK_SECRET",
  "TEST_CLERK_PRIVATE_KEY",
  "QSTASH_TOKEN",
  "QSTASH_CURRENT_SIGNING_KEY",
  "QSTASH_NEXT_SIGNING_KEY",
  "SCHEDULER_SECRET_KEY",
  "MARKETING_LLM_API_KEY",
  "CHAT_LLM_API_KEY",
  "SCHEDULER_LLM_API_KEY",
  "UPSTASH_REDIS_REST_TOKEN",
];

/** Shapes that must never appear unredacted: a JWT, our `<prefix>_<lookup>_<secret>` API keys, a bearer value. */
const SHAPES: [string, RegExp][] = [
  ["jwt", /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/],
  ["api-key", /\b(mk|sch)_[a-z0-9]{12}_(?!\[redacted\])[\w-]{16,}/],
  ["bearer", /\bBearer\s+(?!\[redacted\])[^\s"',;]{8,}/i],
];

/** Marks a value as secret: no captured line may contain it. */
export function registerSecret(value: string | undefined | null) {
  if (value && value.length >= 8) secrets.add(value);
}

/** Starts capturing (once per isolate) and returns the suite's view of the capture. */
export function captureLogs(suite: string) {
  if (!installed) {
    installed = true;
    for (const name of ["log", "info", "warn", "error", "debug"] as const) {
      const original = console[name].bind(console);
      console[name] = (...args: unknown[]) => {
        lines.push(args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" "));
        original(...args);
      };
    }
  }
  const start = lines.length;
  return {
    /** lines captured since this suite started */
    lines: () => lines.slice(start),
    /** fails when a captured line holds a registered secret or a secret shape; prints the figures */
    assertClean(opts: { minLines?: number } = {}) {
      for (const b of SECRET_BINDINGS) registerSecret((testEnv as unknown as Record<string, string | undefined>)[b]);
      const mine = lines.slice(start);
      const found: string[] = [];
      for (const line of mine) {
        for (const s of secrets) if (line.includes(s)) found.push(`secret …${s.slice(-6)} in: ${line.slice(0, 200)}`);
        for (const [label, re] of SHAPES) if (re.test(line)) found.push(`${label} shape in: ${line.slice(0, 200)}`);
      }
      console.info(
        `SECRETS-IN-LOGS ${suite}: ${mine.length} lines scanned for ${secrets.size} secrets and ${SHAPES.length} shapes; found ${found.length}`,
      );
      expect(mine.length, "the capture saw no log line at all").toBeGreaterThanOrEqual(opts.minLines ?? 1);
      expect(found).toEqual([]);
    },
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
