/**
 * The Cron Triggers and how sweeps are grouped by them. The expressions must match `[triggers] crons`
 * in wrangler.toml exactly (test/node/architecture.test.ts checks it); each sweep names its own
 * expression (`Sweep.cron`) and the table is derived from the modules' sweeps (src/registry.ts).
 */
import { heartbeatSweep } from "./heartbeat";
import type { CronTable, Sweep } from "./types";

export const EVERY_MINUTE = "* * * * *";
export const EVERY_FIVE_MINUTES = "*/5 * * * *";
export const NIGHTLY = "17 3 * * *";

/** Every expression wrangler.toml schedules. */
export const CRONS = [EVERY_MINUTE, EVERY_FIVE_MINUTES, NIGHTLY] as const;
export type Cron = (typeof CRONS)[number];

/** cron expression → the heartbeat plus every sweep that names it; a sweep naming an unknown expression throws. */
export function buildCronTable(sweeps: Sweep[]): CronTable {
  const table: CronTable = Object.fromEntries(CRONS.map((cron) => [cron, [heartbeatSweep(cron)]]));
  for (const sweep of sweeps) {
    const slot = table[sweep.cron];
    if (!slot) throw new Error(`sweep ${sweep.name}: cron "${sweep.cron}" is not one of wrangler.toml's crons (${CRONS.join(", ")})`);
    slot.push(sweep);
  }
  return table;
}
