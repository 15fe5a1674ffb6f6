/**
 * The module contract. A module is one folder `functions/<name>/` whose `index.ts` default-exports
 * `defineModule({ name, router, jobs?, sweeps?, seed? })`; src/modules.ts lists them, and everything the
 * platform needs from a module (routes, cron table, job table, seed runner, drizzle's schemas, test set-up,
 * round-trip cases) is derived from that list.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { Sweep } from "./cron/types";
import type { AppContext } from "./http/context";
import type { JobTable } from "./jobs/dispatch";

/** Idempotent upserts of a module's reference data; runs in Node (drizzle/seed/run.ts), never in the Worker. */
export type Seeder = (db: NodePgDatabase<any>, log: (line: string) => void) => Promise<void>;

export interface ModuleDef {
  /** "chat": mounted at /v1/chat, Postgres schema "chat", folder functions/chat */
  name: string;
  router: OpenAPIHono<AppContext>;
  /** background jobs on the JOBS queue, named "<module>.<job>" (src/jobs/dispatch.ts) */
  jobs?: JobTable;
  /** periodic work; each sweep names the Cron Trigger it runs on (src/cron/schedule.ts) */
  sweeps?: Sweep[];
  seed?: Seeder;
}

export function defineModule<const M extends ModuleDef>(def: M): M {
  if (!/^[a-z][a-z0-9-]*$/.test(def.name)) throw new Error(`module name "${def.name}": lower-case letters, digits and dashes only`);
  for (const job of Object.keys(def.jobs ?? {})) {
    if (!job.startsWith(`${def.name}.`)) throw new Error(`module ${def.name}: job "${job}" must be named "${def.name}.<job>"`);
  }
  for (const sweep of def.sweeps ?? []) {
    if (!sweep.name.startsWith(`${def.name}.`))
      throw new Error(`module ${def.name}: sweep "${sweep.name}" must be named "${def.name}.<sweep>"`);
  }
  return def;
}
