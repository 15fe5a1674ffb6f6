/**
 * Command handling for the Upstash REST stand-in: request-body validation, the
 * commands refused because their connection state would leak, the Lua shebang
 * rewrite for Redis 7.0, and the RESP2 → Upstash JSON mapping (protocols.md B.6).
 */
import { createHash } from "node:crypto";
import type { Reply } from "./resp.js";

export type Arg = string | Buffer;
export type Command = Arg[];

export class RequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** JSON numbers and booleans become bulk strings, as the official client sends them unquoted. */
function toArg(v: unknown): Arg {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  throw new RequestError(`ERR invalid command argument ${JSON.stringify(v)}: expected a string, number or boolean`);
}

export function parseCommand(v: unknown): Command {
  if (!Array.isArray(v) || v.length === 0) {
    throw new RequestError("ERR invalid command: expected a non-empty JSON array");
  }
  return v.map(toArg);
}

export function parseCommandList(v: unknown): Command[] {
  if (!Array.isArray(v)) throw new RequestError("ERR invalid request: expected a JSON array of commands");
  if (v.length === 0) throw new RequestError("ERR empty pipeline request");
  return v.map(parseCommand);
}

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new RequestError("ERR failed to parse request body as JSON");
  }
}

export function commandName(cmd: Command): string {
  return String(cmd[0]).toLowerCase();
}

// Each HTTP request borrows a pooled connection; these would carry state into the next borrower.
const REFUSED = new Set([
  "select",
  "watch",
  "unwatch",
  "multi",
  "exec",
  "discard",
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
  "monitor",
  "hello",
  "auth",
  "reset",
  "quit",
  "sync",
  "psync",
  "replconf",
  "readonly",
  "readwrite",
  "shutdown",
]);

export function refusal(cmd: Command): string | null {
  const name = commandName(cmd);
  if (!REFUSED.has(name)) return null;
  return `ERR Command is not allowed by the REST stand-in: ${name} (use /multi-exec for transactions)`;
}

/** CLIENT changes per-connection state (name, reply mode, tracking): such a connection is not reused. */
export function dirtiesConnection(cmd: Command): boolean {
  return commandName(cmd) === "client";
}

/**
 * Upstash's `SCAN … WITHTYPE` (sent by the SDK's scan(c, {withType: true})) is not Redis syntax:
 * returns the SCAN without the flag, or null when the command is something else.
 */
export function withoutWithType(cmd: Command): Command | null {
  if (commandName(cmd) !== "scan") return null;
  for (let i = 2; i < cmd.length; i++) {
    const t = String(cmd[i]).toLowerCase();
    if (t === "match" || t === "count" || t === "type") i++;
    else if (t === "withtype") return [...cmd.slice(0, i), ...cmd.slice(i + 1)];
  }
  return null;
}

/** Builds Upstash's WITHTYPE reply `[cursor, [key, type, key, type, …]]` from SCAN and TYPE replies. */
export function scanWithTypes(scan: Reply, types: Reply[]): Reply {
  if (scan.type !== "array" || scan.value[1]?.type !== "array") return scan;
  const keys = scan.value[1].value;
  const flat: Reply[] = [];
  keys.forEach((k, i) => {
    flat.push(k, types[i] ?? { type: "nil" });
  });
  return { type: "array", value: [scan.value[0]!, { type: "array", value: flat }] };
}

export function scanKeys(scan: Reply): Reply[] {
  return scan.type === "array" && scan.value[1]?.type === "array" ? scan.value[1].value : [];
}

// Script flags that Redis 7.0 understands; Upstash-only flags such as allow-key-locking are dropped.
const KNOWN_FLAGS = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);

function sha1(b: Arg): string {
  return createHash("sha1").update(b).digest("hex");
}

/** Rewrites a `#!lua flags=…` first line to flags Redis 7.0 accepts; null when nothing changes. */
export function rewriteShebang(script: Arg): Buffer | null {
  const buf = Buffer.isBuffer(script) ? script : Buffer.from(script, "utf8");
  if (buf.length < 5 || buf.toString("latin1", 0, 5) !== "#!lua") return null;
  let eol = buf.indexOf(10);
  if (eol < 0) eol = buf.length;
  const first = buf.toString("utf8", 0, eol);
  let changed = false;
  const tokens = first
    .slice(5)
    .split(" ")
    .filter((t) => t !== "")
    .map((t) => {
      if (!t.startsWith("flags=")) return t;
      const flags = t
        .slice(6)
        .split(",")
        .filter((f) => f !== "");
      const kept = flags.filter((f) => KNOWN_FLAGS.has(f));
      if (kept.length === flags.length) return t;
      changed = true;
      return kept.length > 0 ? `flags=${kept.join(",")}` : "";
    })
    .filter((t) => t !== "");
  if (!changed) return null;
  // Same line count, so Lua error line numbers still match the client's script.
  return Buffer.concat([Buffer.from(["#!lua", ...tokens].join(" "), "utf8"), buf.subarray(eol)]);
}

export type ReplyFix = (r: Reply) => Reply;

/**
 * Maps sha1(original script) → sha1(rewritten script) so that EVALSHA with the
 * client-computed hash finds the script Redis stored under the rewritten hash.
 */
export class ScriptRegistry {
  private toRedis = new Map<string, string>();
  private toClient = new Map<string, string>();

  /** Returns the command to send and an optional fix for its reply. */
  prepare(cmd: Command): { cmd: Command; fix?: ReplyFix } {
    const name = commandName(cmd);
    if ((name === "eval" || name === "eval_ro") && cmd.length > 1) {
      const rewritten = this.register(cmd[1]!);
      if (!rewritten) return { cmd };
      return { cmd: [cmd[0]!, rewritten, ...cmd.slice(2)], fix: this.fixErrors };
    }
    if ((name === "evalsha" || name === "evalsha_ro") && cmd.length > 1) {
      const mapped = this.toRedis.get(String(cmd[1]).toLowerCase());
      if (!mapped) return { cmd };
      return { cmd: [cmd[0]!, mapped, ...cmd.slice(2)], fix: this.fixErrors };
    }
    if (name !== "script" || cmd.length < 2) return { cmd };
    const sub = String(cmd[1]).toLowerCase();
    if (sub === "load" && cmd.length === 3) {
      const rewritten = this.register(cmd[2]!);
      if (!rewritten) return { cmd };
      const original = sha1(cmd[2]!);
      return {
        cmd: [cmd[0]!, cmd[1]!, rewritten],
        fix: (r) => (r.type === "bulk" ? { type: "bulk", value: Buffer.from(original) } : this.fixErrors(r)),
      };
    }
    if (sub === "exists") {
      return { cmd: cmd.map((a, i) => (i < 2 ? a : (this.toRedis.get(String(a).toLowerCase()) ?? a))) };
    }
    if (sub === "flush") {
      this.toRedis.clear();
      this.toClient.clear();
    }
    return { cmd };
  }

  private register(script: Arg): Buffer | null {
    const rewritten = rewriteShebang(script);
    if (!rewritten) return null;
    const original = sha1(script);
    const stored = sha1(rewritten);
    this.toRedis.set(original, stored);
    this.toClient.set(stored, original);
    return rewritten;
  }

  // Lua errors name the script by its hash ("script: <sha>, on @user_script:2."): show the client's hash.
  private fixErrors: ReplyFix = (r) => {
    if (r.type !== "error") return r;
    const m = /[0-9a-f]{40}/.exec(r.value);
    const original = m && this.toClient.get(m[0]);
    return original ? { type: "error", value: r.value.replace(m[0], original) } : r;
  };
}

// Base64 text needs no JSON escaping.
function b64(b: Buffer): string {
  return `"${b.toString("base64")}"`;
}

/**
 * One RESP2 reply as Upstash JSON. In base64 mode every string at every depth is
 * encoded except a top-level simple "OK"; numbers, nulls and error texts never are.
 * Integers keep Redis's digits, even past 2^53.
 */
export function replyJson(r: Reply, base64: boolean, top = true): string {
  switch (r.type) {
    case "int":
      return r.text;
    case "nil":
      return "null";
    case "simple":
      if (!base64 || (top && r.value === "OK")) return JSON.stringify(r.value);
      return b64(Buffer.from(r.value, "utf8"));
    case "bulk":
      return base64 ? b64(r.value) : JSON.stringify(r.value.toString("utf8"));
    // A nested error (e.g. a Lua table holding redis.error_reply) has no JSON shape of its own: its text.
    case "error":
      return JSON.stringify(r.value);
    case "array": {
      let out = "[";
      for (let i = 0; i < r.value.length; i++) {
        if (i > 0) out += ",";
        out += replyJson(r.value[i]!, base64, false);
      }
      return `${out}]`;
    }
  }
}

/** `{"result": …}` or `{"error": "…"}`: exactly one key, as pipeline items and single responses use. */
export function itemJson(r: Reply, base64: boolean): string {
  return r.type === "error" ? `{"error":${JSON.stringify(r.value)}}` : `{"result":${replyJson(r, base64)}}`;
}
