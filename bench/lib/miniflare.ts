/**
 * Runs the deployable bundle (what `wrangler deploy` uploads) in workerd through Miniflare.
 * Default runtime of the bench: under `wrangler dev`, wrangler's own Node process (inspector
 * and dev proxy) used ~80% of a core at 100 req/s on this 2-core machine, so the numbers
 * measured wrangler more than the Worker. BENCH_RUNTIME=wrangler-dev still measures that way.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { freePort } from "../../test/local/ports.js";
import type { WorkerHandle } from "./wrangler.js";

const run = promisify(execFile);

export async function startBundledWorker(vars: Record<string, string>): Promise<WorkerHandle> {
  const outdir = mkdtempSync(path.join(tmpdir(), "bench-worker-"));
  const wrangler = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
  await run(process.execPath, [wrangler, "deploy", "--dry-run", "--minify", "--env=", "--outdir", outdir], {
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" },
  });
  const t0 = Date.now();
  const port = await freePort();
  const mf = new Miniflare({
    // One module, listed rather than traced: the bundle keeps @upstash/qstash's dev-mode `import("node:" + name)`,
    // which Miniflare's module walker rejects (ERR_MODULE_DYNAMIC_SPEC) although the Worker never runs it.
    modulesRoot: outdir,
    modules: [{ type: "ESModule", path: path.join(outdir, "index.js") }],
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["nodejs_compat"],
    bindings: vars,
    r2Buckets: ["FILES"],
    // lets the bench fire Cron Triggers through /cdn-cgi/handler/scheduled, as wrangler dev does
    unsafeTriggerHandlers: true,
    host: "127.0.0.1",
    port,
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  await (await fetch(`${url}/health`)).arrayBuffer();
  return {
    url,
    startupMs: Date.now() - t0,
    stop: async () => {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
