/**
 * Records when each cron expression last ran, so /health can tell a stalled scheduler
 * from a quiet one. Stored in the hot cache; with no cache configured it is a no-op.
 */
import type { Cache } from "../cache/client";
import type { Cron } from "./crons";
import type { Sweep } from "./types";

export const heartbeatKey = (cron: string) => `cron:last-run:${cron}`;

export interface Heartbeat {
  cron: string;
  ranAt: string;
  scheduledTime: string;
}

export function heartbeatSweep(cron: Cron): Sweep {
  return {
    name: "platform.heartbeat",
    cron,
    async run({ cache, scheduledTime }) {
      const beat: Heartbeat = { cron, ranAt: new Date().toISOString(), scheduledTime: new Date(scheduledTime).toISOString() };
      const stored = await cache.set(heartbeatKey(cron), beat, { ttlSeconds: 7 * 24 * 3600 });
      return { rows: stored ? 1 : 0 };
    },
  };
}

export async function readHeartbeats(cache: Cache, crons: string[]): Promise<Record<string, Heartbeat | null>> {
  const entries = await Promise.all(crons.map(async (c) => [c, await cache.get<Heartbeat>(heartbeatKey(c))] as const));
  return Object.fromEntries(entries);
}
