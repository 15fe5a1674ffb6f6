/** The Cron Triggers of wrangler.toml `[triggers] crons`, exactly (test/node/architecture.test.ts checks it). */
export const EVERY_MINUTE = "* * * * *";
export const EVERY_FIVE_MINUTES = "*/5 * * * *";
export const NIGHTLY = "17 3 * * *";

export const CRONS = [EVERY_MINUTE, EVERY_FIVE_MINUTES, NIGHTLY] as const;
export type Cron = (typeof CRONS)[number];
