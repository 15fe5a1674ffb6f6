/** Runs the Worker under `wrangler dev` (workerd, as in production) with the stack's bindings. */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { onShutdown } from "../../test/local/cleanup.js";
import { freePort } from "../../test/local/ports.js";

export interface WorkerHandle {
  url: string;
  /** ms from spawn to the first answered /health */
  startupMs: number;
  /** restart the Worker with these vars on top of the ones it started with (Miniflare runtime only) */
  setVars?(vars: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

function wranglerBin(): string {
  const pkg = createRequire(import.meta.url).resolve("wrangler/package.json");
  return path.join(path.dirname(pkg), "bin", "wrangler.js");
}

export async function startWorker(vars: Record<string, string>, opts: { port?: number } = {}): Promise<WorkerHandle> {
  const port = opts.port ?? (await freePort());
  const args = [
    wranglerBin(),
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--test-scheduled",
    "--show-interactive-dev-session=false",
    "--log-level",
    "error",
    "--env-file",
    "/dev/null",
  ];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const t0 = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CI: "true",
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const unregister = onShutdown({
    name: "wrangler",
    stop,
    kill: () => {
      child.kill("SIGKILL");
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${stderr}`);
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      return {
        url,
        startupMs: Date.now() - t0,
        stop: async () => {
          unregister();
          await stop();
        },
      };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url}: ${stderr}`);
}
