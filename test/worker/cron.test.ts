import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dispatchCron } from "../../src/cron/dispatch";
import { heartbeatKey } from "../../src/cron/heartbeat";
import type { CronTable } from "../../src/cron/types";
import worker from "../../src/index";
import { redisCommand, testEnv } from "./helpers";

describe("cron dispatcher", () => {
  it("runs every sweep of the expression; one failing sweep does not stop the others", async () => {
    const ran: string[] = [];
    const table: CronTable = {
      "*/5 * * * *": [
        {
          name: "a",
          run: async () => {
            ran.push("a");
            return { rows: 3 };
          },
        },
        {
          name: "broken",
          run: async () => {
            throw new Error("boom");
          },
        },
        {
          name: "c",
          run: async () => {
            ran.push("c");
            return { rows: 0, details: { batches: 1 } };
          },
        },
      ],
      "0 * * * *": [
        {
          name: "other",
          run: async () => {
            ran.push("other");
            return { rows: 1 };
          },
        },
      ],
    };
    const reports = await dispatchCron(table, "*/5 * * * *", testEnv, Date.now());
    expect(ran.sort()).toEqual(["a", "c"]);
    expect(reports.map((r) => [r.sweep, r.ok, r.rows])).toEqual([
      ["a", true, 3],
      ["broken", false, 0],
      ["c", true, 0],
    ]);
    expect(reports[1]!.error).toBe("boom");
    for (const r of reports) expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it("runs nothing for an expression it does not know", async () => {
    expect(await dispatchCron({}, "1 2 3 4 5", testEnv, Date.now())).toEqual([]);
  });

  it("the Worker's scheduled() handler runs the registered sweeps (heartbeat lands in Redis)", async () => {
    const cron = "*/5 * * * *";
    await redisCommand("DEL", heartbeatKey(cron));
    const scheduledTime = Date.UTC(2026, 10, 22, 12, 5);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron, scheduledTime }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    const raw = await redisCommand<string | null>("GET", heartbeatKey(cron));
    expect(JSON.parse(raw!)).toMatchObject({ cron, scheduledTime: new Date(scheduledTime).toISOString() });
    expect(await redisCommand<number>("TTL", heartbeatKey(cron))).toBeGreaterThan(6 * 24 * 3600);
  });
});
