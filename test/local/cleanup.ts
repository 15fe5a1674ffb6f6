/**
 * One place that stops every local process when Node exits, on Ctrl-C or on SIGTERM,
 * so that no postgres or redis-server is left behind.
 */
type Stopper = { name: string; stop: () => Promise<void>; kill: () => void };

const stoppers = new Set<Stopper>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  // Last resort on a synchronous exit: signal the children directly.
  process.on("exit", () => {
    for (const s of stoppers) s.kill();
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
    });
  }
}

export function onShutdown(s: Stopper): () => void {
  install();
  stoppers.add(s);
  return () => {
    stoppers.delete(s);
  };
}

export async function stopAll(): Promise<void> {
  const all = [...stoppers].reverse();
  stoppers.clear();
  await Promise.allSettled(all.map((s) => s.stop()));
}

/**
 * Stops everything when the parent process goes away (e.g. `npm run dev` killed by a
 * supervisor that signals only npm): the shell between npm and us does not forward signals.
 */
export function stopWhenOrphaned(intervalMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      void stopAll().finally(() => process.exit(143));
    }
  }, intervalMs);
  timer.unref();
}
