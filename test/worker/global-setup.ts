/**
 * Starts the local stack for the workerd suites on free ports with a fresh, migrated database, runs each
 * module's test set-up (test/worker/<module>/setup.ts, see module-setup.types.ts) and hands all their
 * URLs and vars to the Worker as bindings (see vitest.config.ts).
 */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TestProject } from "vitest/node";
import { startControl } from "../local/control.js";
import { startStack } from "../local/stack.js";
import type { ModuleTestBindings, ModuleTestSetup } from "./module-setup.types.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBindings: Record<string, string>;
  }
}

const here = fileURLToPath(new URL(".", import.meta.url));

/** Every test/worker/<dir>/setup.ts, in directory order. */
function moduleSetupFiles(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${here}${d.name}/setup.ts`))
    .map((d) => `${here}${d.name}/setup.ts`)
    .sort();
}

export default async function setup(project: TestProject) {
  const stack = await startStack({ database: "worker_tests", fresh: true });
  const control = await startControl(stack);
  const started: ModuleTestBindings[] = [];
  const close = async () => {
    for (const s of started.reverse()) await s.close?.();
    await control.close();
    await stack.stop();
  };
  try {
    for (const file of moduleSetupFiles()) {
      const mod = (await import(pathToFileURL(file).href)) as { default: ModuleTestSetup };
      started.push(await mod.default({ stack }));
    }
  } catch (err) {
    await close();
    throw err;
  }
  project.provide("workerBindings", {
    ...stack.bindings,
    CONTROL_URL: control.url,
    ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
    LOG_LEVEL: "warn",
    // The suites test the Redis/Postgres layers behind the colo cache; test/worker/platform/edge-cache.test.ts
    // and the audit's `edge` states turn it on for their own app (src/cache/edge-cache.ts).
    EDGE_CACHE_SECONDS: "0",
    ...Object.assign({}, ...started.map((s) => s.bindings)),
  });
  return close;
}
