/** What the bench's scripts (`npm run bench`, `npm run load`) share: a timed progress log, the run-or-clean-up wrapper. */
import { stopAll } from "../../test/local/cleanup.js";

/** `[tag 12.3s] message`: seconds since the script started. */
export function progressLog(tag: string): (msg: string) => void {
  const t0 = Date.now();
  return (msg) => console.log(`[${tag} ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
}

/** Runs the script; on failure prints the error, stops every process the local stack started and exits 1. */
export function runScript(main: () => Promise<void>, log: (msg: string) => void): void {
  main().then(
    () => log("done"),
    async (err) => {
      console.error(err);
      await stopAll();
      process.exit(1);
    },
  );
}

/**
 * The abuse limits lifted for measuring: one key sends thousands of requests a minute, and a 429 would measure the
 * limiter instead of the route (the per-IP, per-principal and blog per-IP limits).
 */
export const LIFTED_LIMITS = {
  RATE_LIMIT_PER_MINUTE: "100000000",
  PRINCIPAL_RATE_LIMIT: "100000000",
  BLOG_RATE_LIMIT: "100000000",
};
