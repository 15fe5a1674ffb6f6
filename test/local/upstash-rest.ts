/**
 * Upstash Redis REST stand-in (protocols.md PART B) in front of a real redis-server,
 * so that @upstash/redis and @upstash/ratelimit run unchanged against local Redis.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Faults } from "./faults.js";
import { freePort } from "./ports.js";
import { encodeReply, type RespConnection, RespConnectionError, RespPool, type Reply } from "./resp.js";
import {
  type Command,
  dirtiesConnection,
  itemJson,
  parseCommand,
  parseCommandList,
  parseJsonBody,
  type ReplyFix,
  RequestError,
  refusal,
  scanKeys,
  scanWithTypes,
  ScriptRegistry,
  withoutWithType,
} from "./upstash-commands.js";

export interface UpstashRestOptions {
  redisPort: number;
  redisHost?: string;
  token: string;
  port?: number;
  maxRequestBytes?: number;
  log?: (line: string) => void;
}

export interface UpstashRestHandle {
  url: string;
  token: string;
  port: number;
  /**
   * writes: requests holding at least one command that is not read-only (a global database sends those to its primary);
   * transactions: `/multi-exec` requests (the app sends only its after-the-response rate-limit commits that way)
   */
  stats: { requests: number; commands: number; writes: number; transactions: number; reset(): void };
  /** injected faults (latency, errors, refused connections, stalls) for the dependency-fault suites */
  faults: Faults;
  close(): Promise<void>;
}

type Mode = "single" | "pipeline" | "multi-exec";
type Format = "json" | "resp2";

interface RequestContext {
  base64: boolean;
  format: Format;
}

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "PUT"]);
/** Commands a read replica answers; anything else (scripts included) counts as a write. */
const READ_ONLY = new Set(
  "GET MGET EXISTS TTL PTTL STRLEN GETRANGE HGET HMGET HGETALL HEXISTS HLEN HKEYS HVALS HSCAN SMEMBERS SISMEMBER SMISMEMBER SCARD SSCAN ZRANGE ZRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE ZSCORE ZMSCORE ZCARD ZCOUNT ZRANK ZREVRANK ZSCAN LRANGE LLEN LINDEX SCAN KEYS TYPE DBSIZE PING ECHO EVAL_RO EVALSHA_RO".split(
    " ",
  ),
);
const SSE_PATHS = new Set(["monitor", "subscribe", "psubscribe"]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = Number(req.headers["content-length"] ?? 0) > limit;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) tooBig = true;
      if (!tooBig) chunks.push(c);
    });
    // The body is drained even when too large: fetch would report an aborted upload, not our 400.
    req.on("end", () => (tooBig ? reject(new RequestError("ERR max request size exceeded")) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function bearerToken(req: IncomingMessage, query: URLSearchParams): string | null {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  return query.get("_token");
}

/** Path-style commands: /set/foo/bar?EX=100 → SET foo bar EX 100, a POST/PUT body as the last argument. */
function pathCommand(segments: string[], query: URLSearchParams, body: Buffer): Command {
  const cmd: Command = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new RequestError(`ERR invalid percent-encoding in path segment ${JSON.stringify(s)}`);
    }
  });
  if (body.length > 0) cmd.push(body);
  for (const [k, v] of query) {
    if (k === "_token") continue;
    cmd.push(k);
    if (v !== "") cmd.push(v);
  }
  return cmd;
}

export async function startUpstashRest(opts: UpstashRestOptions): Promise<UpstashRestHandle> {
  const port = opts.port ?? (await freePort());
  const host = opts.redisHost ?? "127.0.0.1";
  const limit = opts.maxRequestBytes ?? 1024 * 1024;
  const log = opts.log;
  const pool = new RespPool({ port: opts.redisPort, host, connectTimeoutMs: 1000 });
  const scripts = new ScriptRegistry();
  let syncToken = 0;
  const faults = new Faults();
  const stats = {
    requests: 0,
    commands: 0,
    writes: 0,
    transactions: 0,
    reset() {
      stats.requests = 0;
      stats.commands = 0;
      stats.writes = 0;
      stats.transactions = 0;
    },
  };

  /** Runs commands on one borrowed connection; a connection failure surfaces as RespConnectionError. */
  async function run(cmds: Command[], mode: Mode): Promise<Reply[]> {
    const prepared = cmds.map((c) => scripts.prepare(c));
    const wire = prepared.map((p) => p.cmd);
    stats.commands += cmds.length;
    const dirty = cmds.some(dirtiesConnection);
    const conn = await pool.acquire();
    let ok = false;
    try {
      let replies: Reply[];
      if (mode === "multi-exec") {
        const all = await conn.sendMany([["MULTI"], ...wire, ["EXEC"]]);
        const exec = all[all.length - 1]!;
        if (exec.type === "error") throw new RequestError(exec.value);
        if (exec.type !== "array") throw new RequestError("ERR transaction aborted");
        replies = exec.value;
      } else {
        const typed = wire.map(withoutWithType);
        replies = await conn.sendMany(wire.map((c, i) => typed[i] ?? c));
        if (typed.some((t) => t !== null)) replies = await addScanTypes(conn, replies, typed);
      }
      ok = true;
      return replies.map((r, i) => {
        const fix: ReplyFix | undefined = prepared[i]?.fix;
        return fix ? fix(r) : r;
      });
    } finally {
      pool.release(conn, ok && !dirty);
    }
  }

  /** Second round trip for SCAN … WITHTYPE: TYPE of every returned key. */
  async function addScanTypes(conn: RespConnection, replies: Reply[], typed: (Command | null)[]): Promise<Reply[]> {
    const keys = replies.map((r, i) => (typed[i] ? scanKeys(r) : []));
    const types = await conn.sendMany(keys.flat().map((k) => ["TYPE", k.type === "bulk" ? k.value : ""]));
    let at = 0;
    return replies.map((r, i) => {
      if (!typed[i]) return r;
      const n = keys[i]!.length;
      at += n;
      return scanWithTypes(r, types.slice(at - n, at));
    });
  }

  function send(res: ServerResponse, status: number, body: string | Buffer, contentType = "application/json"): void {
    res.writeHead(status, {
      "Content-Type": contentType,
      "Content-Length": Buffer.byteLength(body),
      "upstash-sync-token": String(syncToken),
    });
    res.end(res.req.method === "HEAD" ? undefined : body);
  }

  function sendError(res: ServerResponse, status: number, message: string): void {
    send(res, status, JSON.stringify({ error: message }));
  }

  async function execute(res: ServerResponse, cmds: Command[], mode: Mode, ctx: RequestContext): Promise<void> {
    const refused = cmds.map(refusal);
    if (mode === "multi-exec") {
      const first = refused.find((r) => r !== null);
      if (first) return sendError(res, 400, first);
    }
    const toRun = cmds.filter((_, i) => refused[i] === null);
    if (toRun.some((c) => !READ_ONLY.has(String(c[0]).toUpperCase()))) stats.writes++;
    if (mode === "multi-exec") stats.transactions++;
    const ran = toRun.length > 0 ? await run(toRun, mode) : [];
    let k = 0;
    const replies: Reply[] = refused.map((r) => (r === null ? ran[k++]! : { type: "error", value: r }));
    syncToken++;
    if (mode === "single") {
      const r = replies[0]!;
      const status = r.type === "error" ? 400 : 200;
      if (ctx.format === "resp2") return send(res, status, encodeReply(r), "application/octet-stream");
      return send(res, status, itemJson(r, ctx.base64));
    }
    if (ctx.format === "resp2") return send(res, 200, Buffer.concat(replies.map(encodeReply)), "application/octet-stream");
    send(res, 200, `[${replies.map((r) => itemJson(r, ctx.base64)).join(",")}]`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const method = req.method ?? "GET";
    if (!ALLOWED_METHODS.has(method)) {
      res.setHeader("Allow", "GET, HEAD, POST, PUT");
      req.resume();
      return sendError(res, 405, "ERR method not allowed");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const token = bearerToken(req, url.searchParams);
    if (token !== opts.token) {
      req.resume();
      return sendError(res, 401, "Unauthorized");
    }
    const formatHeader = String(req.headers["upstash-response-format"] ?? "json").toLowerCase();
    if (formatHeader !== "json" && formatHeader !== "resp2") {
      req.resume();
      return sendError(res, 400, `ERR invalid Upstash-Response-Format: ${formatHeader} (expected json or resp2)`);
    }
    const ctx: RequestContext = {
      base64: String(req.headers["upstash-encoding"] ?? "")
        .toLowerCase()
        .includes("base64"),
      format: formatHeader,
    };
    if (ctx.format === "resp2" && ctx.base64) {
      req.resume();
      return sendError(res, 400, "ERR Upstash-Response-Format: resp2 cannot be combined with Upstash-Encoding: base64");
    }
    const segments = url.pathname.split("/").filter((s) => s !== "");
    const first = segments[0]?.toLowerCase();
    const hasBody = method === "POST" || method === "PUT";
    const body = hasBody ? await readBody(req, limit) : Buffer.alloc(0);
    if (faults.active) {
      const fault = await faults.apply(`${method} ${url.pathname} ${body.toString("utf8")}`, req, res);
      if (fault.kind === "handled") return;
      if (fault.kind === "garbage") return send(res, 200, "<html>not json</html>", "text/html");
      if (fault.kind === "error") return sendError(res, fault.status, "ERR injected fault");
    }

    if (first === "pipeline" || first === "multi-exec") {
      if (segments.length > 1) throw new HttpError(404, `ERR unknown endpoint ${url.pathname}`);
      if (!hasBody) throw new HttpError(405, `ERR /${first} requires POST`);
      if (first === "multi-exec" && ctx.format === "resp2") {
        throw new RequestError("ERR Upstash-Response-Format: resp2 is not supported for /multi-exec");
      }
      const cmds = parseCommandList(parseJsonBody(body));
      return execute(res, cmds, first === "pipeline" ? "pipeline" : "multi-exec", ctx);
    }
    if (first !== undefined && SSE_PATHS.has(first)) {
      throw new HttpError(404, `ERR /${first} (server-sent events) is not supported by the REST stand-in`);
    }
    if (first === undefined) {
      if (!hasBody) throw new RequestError("ERR no command given: POST a JSON array or use /<command>/<args>");
      return execute(res, [parseCommand(parseJsonBody(body))], "single", ctx);
    }
    return execute(res, [pathCommand(segments, url.searchParams, body)], "single", ctx);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError || e instanceof RequestError) {
        req.resume();
        sendError(res, e.status, e.message);
      } else if (e instanceof RespConnectionError) {
        const message = e.message.startsWith("unable to connect") ? e.message : `connection to redis lost: ${e.message}`;
        log?.(`upstash-rest: 500 ${message}`);
        sendError(res, 500, `ERR ${message}`);
      } else {
        log?.(`upstash-rest: internal error ${e instanceof Error ? e.stack : String(e)}`);
        if (!res.headersSent) sendError(res, 500, `ERR internal error: ${String(e)}`);
      }
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    token: opts.token,
    port: actualPort,
    stats,
    faults,
    close: async () => {
      faults.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      pool.close();
    },
  };
}
