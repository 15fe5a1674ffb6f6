/**
 * A private redis-server (Debian's package) on a free port for tests, dev and benchmarks.
 * It can be stopped and started again on the same port, for tests of "Redis went away".
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { onShutdown } from "./cleanup.js";
import { freePort, waitForPort } from "./ports.js";

export interface RedisHandle {
  port: number;
  host: string;
  /** redis://127.0.0.1:port */
  url: string;
  running(): boolean;
  /** Stops the server (keeps the port reserved in this handle). */
  pause(): Promise<void>;
  /** Starts it again on the same port, empty. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export function redisServerPath(): string | null {
  if (process.env.REDIS_SERVER_BIN) return process.env.REDIS_SERVER_BIN;
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export async function startRedis(opts: { port?: number; log?: (line: string) => void } = {}): Promise<RedisHandle> {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server is not installed (Debian: apt-get install -y redis-server)");
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => {});
  let child: ChildProcess | null = null;

  const launch = async () => {
    const proc = spawn(
      bin,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    proc.stdout?.on("data", (d) => log(String(d).trimEnd()));
    proc.stderr?.on("data", (d) => log(String(d).trimEnd()));
    child = proc;
    const early = new Promise<never>((_, reject) =>
      proc.once("exit", (code) => reject(new Error(`redis-server exited early (code ${code})`))),
    );
    await Promise.race([waitForPort(port), early]);
  };
  const halt = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  };

  await launch();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await halt();
  };
  const unregister = onShutdown({
    name: "redis",
    stop,
    kill: () => {
      child?.kill("SIGKILL");
    },
  });
  return {
    port,
    host: "127.0.0.1",
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== null,
    pause: halt,
    resume: async () => {
      if (!child) await launch();
    },
    stop,
  };
}
