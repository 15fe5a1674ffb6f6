/** The batched-sweep loop (src/cron/batches.ts): pacing settings and the rests it takes between batches. */
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/core/env.js";
import { inBatches, PACING_DEFAULTS, pacing } from "../../src/cron/batches.js";

const env = (vars: Record<string, string>) => vars as unknown as AppEnv;

describe("sweep pacing", () => {
  it("reads SWEEP_PAUSE_MS and SWEEP_REST_PERCENT, 0 included, and falls back on bad values", () => {
    expect(pacing(env({}))).toEqual({ pauseMs: PACING_DEFAULTS.SWEEP_PAUSE_MS, restPercent: PACING_DEFAULTS.SWEEP_REST_PERCENT });
    expect(pacing(env({ SWEEP_PAUSE_MS: "0", SWEEP_REST_PERCENT: "0" }))).toEqual({ pauseMs: 0, restPercent: 0 });
    expect(pacing(env({ SWEEP_PAUSE_MS: "25", SWEEP_REST_PERCENT: "150" }))).toEqual({ pauseMs: 25, restPercent: 150 });
    expect(pacing(env({ SWEEP_PAUSE_MS: "-1", SWEEP_REST_PERCENT: "lots" }))).toEqual({
      pauseMs: PACING_DEFAULTS.SWEEP_PAUSE_MS,
      restPercent: PACING_DEFAULTS.SWEEP_REST_PERCENT,
    });
  });

  it("rests after every full batch, not after the last (short) one, and reports the rest", async () => {
    const counts = [10, 10, 3];
    const seen: number[] = [];
    const res = await inBatches(
      { env: env({ SWEEP_PAUSE_MS: "5", SWEEP_REST_PERCENT: "0" }), deadline: Date.now() + 10_000 },
      10,
      async () => {
        seen.push(counts.length);
        return counts.shift()!;
      },
    );
    expect(seen).toEqual([3, 2, 1]);
    expect(res).toEqual({ rows: 23, details: { batches: 3, batchSize: 10, restedMs: 10 } });
  });

  it("never rests past the run's deadline", async () => {
    const deadline = Date.now() + 50;
    const res = await inBatches({ env: env({ SWEEP_PAUSE_MS: "60000" }), deadline }, 10, async () => 10);
    expect(res.rows).toBe(10);
    expect(res.details).toMatchObject({ batches: 1, deadline: true });
    expect(res.details!.restedMs).toBeLessThanOrEqual(50);
  });
});
