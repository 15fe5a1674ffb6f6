import type { Cache } from "../cache/client";
import type { AppEnv } from "../core/env";
import type { Cron } from "./crons";
import type { Logger } from "../core/logger";

export interface SweepContext {
  env: AppEnv;
  cache: Cache;
  logger: Logger;
  /** When the trigger was scheduled to fire (ms since epoch). */
  scheduledTime: number;
  /** Sweeps stop taking new batches after this instant (ms since epoch). */
  deadline: number;
}

export interface SweepResult {
  /** rows (or keys) the sweep touched */
  rows: number;
  /** anything else worth logging: batches, skipped rows … */
  details?: Record<string, unknown>;
}

/** A piece of periodic work: bounded, idempotent, safe to run twice or in parallel with itself. */
export interface Sweep {
  /** `<module>.<what-it-does>`, as it appears in logs */
  name: string;
  /** the Cron Trigger it runs on: one of wrangler.toml's `[triggers] crons` */
  cron: Cron;
  run(ctx: SweepContext): Promise<SweepResult>;
}

export interface SweepReport {
  sweep: string;
  ok: boolean;
  rows: number;
  ms: number;
  error?: string;
  details?: Record<string, unknown>;
}

/** cron expression (exactly as in wrangler.toml) → the sweeps that run on it */
export type CronTable = Record<string, Pick<Sweep, "name" | "run">[]>;
