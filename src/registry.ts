/** What the Worker's entry points need from the modules, derived from src/modules.ts. */
import { buildCronTable } from "./cron/schedule";
import type { CronTable } from "./cron/types";
import type { JobTable } from "./jobs/dispatch";
import type { ModuleDef } from "./module";
import { modules } from "./modules";

export function cronTableOf(list: ModuleDef[]): CronTable {
  return buildCronTable(list.flatMap((m) => m.sweeps ?? []));
}

export function jobTableOf(list: ModuleDef[]): JobTable {
  const table: JobTable = {};
  for (const m of list) {
    for (const [name, handler] of Object.entries(m.jobs ?? {})) {
      if (table[name]) throw new Error(`job ${name} is registered twice`);
      table[name] = handler;
    }
  }
  return table;
}

export const cronTable = cronTableOf(modules);
export const jobTable = jobTableOf(modules);
