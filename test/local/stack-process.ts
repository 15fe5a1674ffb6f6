/**
 * The local stack in a child process: its stand-ins then get their own event loop (and core),
 * so a load generator in the parent does not share a thread with them. Counters and direct
 * access go through the control server (control.ts).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onShutdown } from "./cleanup.js";
import type { StackOptions } from "./stack.js";

export interface RemoteStack {
  bindings: Record<string, string>;
  directUrl: string;
  controlUrl: string;
  redisPort: number | null;
  stats(): Promise<{ postgres: number; redis: number; redisWrites?: number; redisAfterResponse?: number }>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

type Ready = { bindings: Record<string, string>; directUrl: string; controlUrl: string; redisPort: number | null };

export async function startStackProcess(opts: Omit<StackOptions, "log"> = {}): Promise<RemoteStack> {
  const child = fork(fileURLToPath(new URL("./stack-child.ts", import.meta.url)), [JSON.stringify(opts)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.send("stop");
    });
  const unregister = onShutdown({
    name: "stack-process",
    stop,
    kill: () => {
      child.kill("SIGTERM");
    },
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`stack process exited (${code})`)));
  });
  const call = async (path: string, method = "GET") => (await fetch(`${ready.controlUrl}${path}`, { method })).json();
  return {
    ...ready,
    stats: () => call("/stats") as Promise<{ postgres: number; redis: number; redisWrites?: number; redisAfterResponse?: number }>,
    resetStats: async () => {
      await call("/stats/reset", "POST");
    },
    stop: async () => {
      unregister();
      await stop();
    },
  };
}
