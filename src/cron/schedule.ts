/**
 * The Cron Triggers and how sweeps are grouped by them. The expressions must match `[triggers] crons`
 * in wrangler.toml exactly (test/node/architecture.test.ts checks it); each sweep names its own
 * expression (`Sweep.cron`) and the table is derived from the modules' sweeps (src/registry.ts).
 */
import { CRONS } from "./crons";
import { heartbeatSweep } from "./heartbeat";
import type { CronTable, Sweep } from "./types";

export { CRONS, EVERY_FIVE_MINUTES, NIGHTLY } from "./crons";

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
