/**
 * The hook a module uses to add bindings (and start fakes of third-party APIs) for the workerd suites:
 * `test/worker/<module>/setup.ts` default-exports a ModuleTestSetup; global-setup.ts runs every such file
 * it finds, merges the bindings into the Worker's env and calls each `close` when the run ends.
 */
import type { Stack } from "../local/stack.js";

export interface ModuleTestContext {
  /** the local Postgres/Redis stack and its stand-ins, already started */
  stack: Stack;
}

export interface ModuleTestBindings {
  /** vars and URLs handed to the Worker (and to the tests through `env`) */
  bindings: Record<string, string>;
  /** stops what the set-up started */
  close?: () => Promise<void>;
}

export type ModuleTestSetup = (ctx: ModuleTestContext) => Promise<ModuleTestBindings>;
