/**
 * A local stand-in for Neon's "SQL over HTTP" endpoint (protocols.md part A), backed by a real
 * PostgreSQL through `pg`, so that `neon()` and `drizzle-orm/neon-http` run unchanged against it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { TextDecoder } from "node:util";
import pg from "pg";
import { type ConnInfo, parseConnInfo } from "./neon-http-conninfo.js";
import { Faults } from "./faults.js";
import { cancelledBody, errorBody, fromPg, isPgDbError, SqlHttpError } from "./neon-http-errors.js";
import { parsePayload, pgTextToJson, type QueryData } from "./neon-http-json.js";
import { freePort } from "./ports.js";

export interface NeonHttpOptions {
  /** the backing server, e.g. postgres://postgres:pw@127.0.0.1:5432/main (user/password/db of the real server) */
  backendUrl: string;
  port?: number;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  log?: (line: string) => void;
}

export interface NeonHttpHandle {
  /** "http://127.0.0.1:<port>/sql": what neonConfig.fetchEndpoint must return */
  url: string;
  port: number;
  /** same user/password/database as the backend, host "db.localtest.me" (never resolved) */
  connectionString: string;
  /** maxRequestMs: the slowest POST /sql since the last reset, receipt to answer (for the sweep benchmark) */
  stats: { requests: number; queries: number; batches: number; maxRequestMs: number; reset(): void };
  /** injected faults (latency, errors, refused connections, stalls) for the dependency-fault suites */
  faults: Faults;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
/** Every cell stays Postgres text: the client parses it itself. */
const RAW_TYPES = { getTypeParser: () => (v: string) => v };
/** What the proxy runs before a pooled connection is reused (tokio-postgres2 reset_session). */
const RESET_SQL =
  "ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; " +
  "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES;";
const ISOLATION: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};
const PREFLIGHT_HEADERS = {
  Allow: "OPTIONS, POST",
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers":
    "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level",
  "Access-Control-Max-Age": "86400",
};

interface RequestOptions {
  raw: boolean;
  arrayMode: boolean;
  isolation?: string;
  readOnly: boolean;
  deferrable: boolean;
}
interface Backend {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export async function startNeonHttp(opts: NeonHttpOptions): Promise<NeonHttpHandle> {
  const u = new URL(opts.backendUrl);
  const backend: Backend = {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username),
  };
  const maxRequest = opts.maxRequestBytes ?? 10 * MiB;
  const maxResponse = opts.maxResponseBytes ?? 10 * MiB;
  const log = opts.log ?? (() => {});
  const pools = new Pools(backend, log);
  const faults = new Faults();
  const stats = {
    requests: 0,
    queries: 0,
    batches: 0,
    maxRequestMs: 0,
    reset() {
      stats.requests = 0;
      stats.queries = 0;
      stats.batches = 0;
      stats.maxRequestMs = 0;
    },
  };

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    const path = pathOf(req.url ?? "");
    if (path === "/sql" && req.method === "POST") {
      stats.requests++;
      const t0 = performance.now();
      res.once("finish", () => {
        stats.maxRequestMs = Math.max(stats.maxRequestMs, performance.now() - t0);
      });
      handleSql(req, res, requestId).catch((e) => {
        log(`neon-http: internal error ${e instanceof Error ? e.stack : String(e)}`);
        if (!res.headersSent) send(res, 500, { "neon-request-id": requestId }, errorBody(new SqlHttpError(500, "internal error")));
      });
    } else if (path === "/sql" && req.method === "OPTIONS") {
      res.writeHead(200, { ...PREFLIGHT_HEADERS, "neon-request-id": requestId }).end();
    } else {
      send(res, 400, { "neon-request-id": requestId }, JSON.stringify("query is not supported"));
    }
  });

  async function handleSql(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const headers: Record<string, string> = { "access-control-allow-origin": "*", "neon-request-id": requestId };
    let client: pg.PoolClient | null = null;
    let aborted = false;
    res.on("close", () => {
      if (res.writableEnded) return;
      aborted = true;
      if (client) void pools.cancel((client as unknown as { processID: number }).processID);
    });
    try {
      const conn = parseConnInfo(req.headers);
      const ro = parseRequestOptions(req.headers);
      const body = await readBody(req, maxRequest);
      const fault = await faults.apply(`POST /sql ${body}`, req, res);
      if (fault.kind === "handled") return;
      if (fault.kind === "garbage") return void res.writeHead(200, headers).end("<html>not json</html>");
      if (fault.kind === "error") throw new SqlHttpError(fault.status, "injected fault");
      let payload;
      try {
        payload = parsePayload(body);
      } catch (e) {
        throw new SqlHttpError(400, `could not parse the HTTP request body: ${(e as Error).message}`);
      }
      client = await pools.acquire(conn);
      if (aborted) throw new Error("aborted");
      let out: string;
      if (payload.kind === "single") {
        stats.queries++;
        out = await runQuery(client, payload.query, ro, maxResponse);
      } else {
        stats.batches++;
        out = await runBatch(client, payload.queries, ro);
        if (ro.readOnly) headers["neon-batch-read-only"] = "true";
        if (ro.deferrable) headers["neon-batch-deferrable"] = "true";
        if (ro.isolation) headers["neon-batch-isolation-level"] = ro.isolation;
      }
      if (aborted) throw new Error("aborted");
      send(res, 200, headers, out);
    } catch (e) {
      if (aborted) {
        send(res, 400, headers, cancelledBody);
      } else {
        const err = e instanceof SqlHttpError ? e : new SqlHttpError(500, e instanceof Error ? e.message : String(e));
        if (err.status >= 500) log(`neon-http: ${err.status} ${err.message}`);
        send(res, err.status, headers, errorBody(err));
      }
    } finally {
      if (client) recycle(client, aborted);
    }
  }

  async function runBatch(client: pg.PoolClient, queries: QueryData[], ro: RequestOptions): Promise<string> {
    let start = "START TRANSACTION";
    const clauses: string[] = [];
    if (ro.isolation) clauses.push(` ISOLATION LEVEL ${ISOLATION[ro.isolation]}`);
    if (ro.readOnly) clauses.push(" READ ONLY");
    if (ro.deferrable) clauses.push(" DEFERRABLE");
    start += clauses.join(",");
    await client.query(start).catch((e) => {
      throw fromPg(e);
    });
    const results: string[] = [];
    for (const q of queries) {
      stats.queries++;
      try {
        results.push(await runQuery(client, q, ro, maxResponse));
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      }
    }
    await client.query("COMMIT").catch((e) => {
      throw fromPg(e);
    });
    return `{"results":[${results.join(",")}]}`;
  }

  const port = opts.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const enc = encodeURIComponent;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    port,
    connectionString: `postgres://${enc(backend.user)}:${enc(backend.password)}@db.localtest.me/${enc(backend.database)}`,
    stats,
    faults,
    close: async () => {
      faults.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pools.end();
    },
  };
}

function pathOf(url: string): string {
  const q = url.search(/[?#]/);
  const p = q < 0 ? url : url.slice(0, q);
  if (p.startsWith("/")) return p;
  try {
    return new URL(p).pathname;
  } catch {
    return p;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Runs one statement (extended protocol, unnamed statement, text params) and returns its JSON result. */
function runQuery(client: pg.PoolClient, q: QueryData, ro: RequestOptions, maxBytes: number): Promise<string> {
  const arrayMode = q.arrayMode ?? ro.arrayMode;
  return new Promise((resolve, reject) => {
    const query = new pg.Query({
      text: q.query,
      values: q.params,
      rowMode: "array",
      queryMode: "extended",
      types: RAW_TYPES,
    } as pg.QueryConfig);
    let rows = "";
    let size = 1;
    let encode: ((row: (string | null)[]) => string) | null = null;
    let failure: SqlHttpError | null = null;
    query.on("row", (row: (string | null)[], result?: pg.ResultBuilder) => {
      if (failure) return; // keep draining: the connection stays usable
      try {
        encode ??= rowEncoder(result?.fields ?? [], arrayMode, ro.raw);
        const s = encode(row);
        size += (rows ? 1 : 0) + Buffer.byteLength(s);
        if (size > maxBytes) {
          failure = new SqlHttpError(507, `response is too large (max is ${maxBytes} bytes)`);
          rows = "";
          return;
        }
        rows += rows ? `,${s}` : s;
      } catch {
        failure = new SqlHttpError(500, "could not parse postgres response");
      }
    });
    query.on("error", (e: Error) => reject(fromPg(e)));
    query.on("end", (result: pg.QueryResult) => {
      if (failure) return reject(failure);
      const fields = JSON.stringify(
        result.fields.map((f) => ({
          name: f.name,
          dataTypeID: f.dataTypeID,
          tableID: f.tableID,
          columnID: f.columnID,
          dataTypeSize: f.dataTypeSize,
          dataTypeModifier: f.dataTypeModifier,
          format: "text",
        })),
      );
      const command = JSON.stringify(result.command ?? "");
      resolve(`{"fields":${fields},"rows":[${rows}],"command":${command},"rowCount":${result.rowCount ?? null},"rowAsArray":${arrayMode}}`);
    });
    client.query(query);
  });
}

function rowEncoder(fields: pg.FieldDef[], arrayMode: boolean, raw: boolean): (row: (string | null)[]) => string {
  if (raw && arrayMode) return (row) => JSON.stringify(row);
  const oids = fields.map((f) => f.dataTypeID);
  // Object rows are written key by key, so duplicate column names appear twice, as in the proxy's output.
  const keys = fields.map((f) => `${JSON.stringify(f.name)}:`);
  return (row) => {
    let s = arrayMode ? "[" : "{";
    for (let i = 0; i < row.length; i++) {
      if (i) s += ",";
      if (!arrayMode) s += keys[i];
      const v = row[i];
      s += v === null || v === undefined ? "null" : raw ? JSON.stringify(v) : pgTextToJson(v, oids[i] ?? 0);
    }
    return s + (arrayMode ? "]" : "}");
  };
}

/** After the response: a clean connection goes back to the pool, anything doubtful is closed. */
function recycle(client: pg.PoolClient, discard: boolean): void {
  if (discard) {
    client.release(true);
    return;
  }
  client.query(RESET_SQL).then(
    () => client.release(),
    (e: Error) => client.release(e),
  );
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on("end", () => {
      if (size > limit) return reject(new SqlHttpError(413, `request is too large (max is ${limit} bytes)`));
      try {
        resolve(strictUtf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new SqlHttpError(400, "could not parse the HTTP request body: invalid unicode code point"));
      }
    });
    req.on("error", (e) => reject(new SqlHttpError(400, `could not read the HTTP request body: ${e.message}`)));
  });
}

function parseRequestOptions(h: IncomingHttpHeaders): RequestOptions {
  const iso = h["neon-batch-isolation-level"];
  if (iso !== undefined && !(typeof iso === "string" && Object.hasOwn(ISOLATION, iso))) {
    throw new SqlHttpError(400, "invalid isolation level");
  }
  return {
    raw: h["neon-raw-text-output"] === "true",
    arrayMode: h["neon-array-mode"] === "true",
    isolation: iso,
    readOnly: h["neon-batch-read-only"] === "true",
    deferrable: h["neon-batch-deferrable"] === "true",
  };
}

// ---- one pg.Pool per (role, database) ----

class Pools {
  private readonly pools = new Map<string, pg.Pool>();
  constructor(
    private readonly backend: Backend,
    private readonly log: (line: string) => void,
  ) {}

  async acquire(c: ConnInfo): Promise<pg.PoolClient> {
    const authFailed = () => new SqlHttpError(400, `password authentication failed for user '${c.user}'`);
    const own = c.user === this.backend.user;
    // The backend's role is checked here; other roles are checked by Postgres itself.
    if (own && !c.password.equals(Buffer.from(this.backend.password))) throw authFailed();
    const password = own ? this.backend.password : c.password.toString("utf8");
    const database = c.database || c.user;
    const key = JSON.stringify([c.user, password, database]);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new pg.Pool({
        host: this.backend.host,
        port: this.backend.port,
        user: c.user,
        password,
        database,
        max: 20,
        idleTimeoutMillis: 30_000,
        options: "-c TimeZone=UTC",
      });
      pool.on("error", (e) => this.log(`neon-http: idle connection error: ${e.message}`));
      this.pools.set(key, pool);
    }
    try {
      return await pool.connect();
    } catch (e) {
      if (pool.totalCount === 0) {
        this.pools.delete(key);
        void pool.end().catch(() => {});
      }
      if (isPgDbError(e)) {
        if (e.code === "28P01" || e.code === "28000") throw authFailed();
        throw fromPg(e);
      }
      throw new SqlHttpError(500, "Couldn't connect to compute node");
    }
  }

  /** The client went away mid-query: cancel it, as the proxy does. */
  async cancel(pid: number): Promise<void> {
    const b = this.backend;
    const c = new pg.Client({ host: b.host, port: b.port, user: b.user, password: b.password, database: b.database });
    try {
      await c.connect();
      await c.query("SELECT pg_cancel_backend($1)", [pid]);
    } catch {
      /* best effort */
    } finally {
      await c.end().catch(() => {});
    }
  }

  async end(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(all.map((p) => p.end()));
  }
}
