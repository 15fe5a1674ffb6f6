/**
 * Starts the local stack for the workerd suites on free ports with a fresh, migrated
 * database, and hands its URLs to the Worker as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { startControl } from "../local/control.js";
import { startStack } from "../local/stack.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBindings: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack({ database: "worker_tests", fresh: true });
  const control = await startControl(stack);
  project.provide("workerBindings", {
    ...stack.bindings,
    CONTROL_URL: control.url,
    ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
    JWT_SECRET: "test-jwt-secret-0123456789abcdef",
    LOG_LEVEL: "warn",
  });
  return async () => {
    await control.close();
    await stack.stop();
  };
}
