/**
 * Which sweeps run on which Cron Trigger. The expressions must match `[triggers] crons`
 * in wrangler.toml exactly; modules add their sweeps (functions/<module>/sweeps.ts) here.
 */
import { failStuckSessions, purgeExpiredBrandVoices, purgeExpiredDresses } from "../../functions/blog/sweeps";
import { influencerSweeps } from "../../functions/influencer/sweeps";
import { heartbeatSweep } from "./heartbeat";
import type { CronTable } from "./types";

export const EVERY_MINUTE = "* * * * *";
export const EVERY_FIVE_MINUTES = "*/5 * * * *";
export const NIGHTLY = "17 3 * * *";

export const cronTable: CronTable = {
  [EVERY_MINUTE]: [heartbeatSweep(EVERY_MINUTE), ...influencerSweeps.everyMinute],
  [EVERY_FIVE_MINUTES]: [heartbeatSweep(EVERY_FIVE_MINUTES), failStuckSessions, ...influencerSweeps.everyFiveMinutes],
  [NIGHTLY]: [heartbeatSweep(NIGHTLY), purgeExpiredDresses, purgeExpiredBrandVoices],
};
