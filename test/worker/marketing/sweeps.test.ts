/** The marketing sweeps: stuck runs are failed, outputs left pending are removed with their objects; and the pending → stored write. */
import { describe, expect, it } from "vitest";
import { failStuckRuns, ORPHAN_SWEEP_POSITION, purgePendingOutputs, removeOrphanObjects } from "../../../functions/marketing/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import { EVERY_FIVE_MINUTES } from "../../../src/cron/schedule";
import type { Sweep } from "../../../src/cron/types";
import { cronTable } from "../../../src/registry";
import { redis, sql, testEnv, uniq } from "../helpers";
import { call, createRun, createUser, json, upsertSkill } from "./helpers";
import { callWith } from "./llm";

const run = async (sweep: Sweep, env = testEnv, at = Date.now()) => (await dispatchCron({ once: [sweep] }, "once", env, at))[0]!;
const statusOf = async (id: string) =>
  (await sql<{ status: string; error_message: string | null }>(`SELECT status, error_message FROM marketing.runs WHERE id = $1`, [id]))[0]!;

describe("marketing sweeps", () => {
  it("are registered on the five-minute trigger", () => {
    expect(cronTable[EVERY_FIVE_MINUTES]!.map((s) => s.name)).toEqual(
      expect.arrayContaining(["marketing.fail-stuck-runs", "marketing.purge-pending-outputs", "marketing.remove-orphan-objects"]),
    );
  });

  it("fail exactly the runs queued or running past the configured age, in batches", async () => {
    const skill = uniq("sweep-skill");
    await upsertSkill(skill);
    const u = await createUser();
    const ids: Record<string, string> = {};
    for (const name of ["oldQueued", "oldRunning", "oldCompleted", "freshQueued", "bulk1", "bulk2", "bulk3"])
      ids[name] = (await createRun(u, skill)).id;
    await json(await call("POST", `/runs/${ids.oldRunning}/start`, { token: u.key }), 200);
    await json(await call("POST", `/runs/${ids.oldCompleted}/start`, { token: u.key }), 200);
    await json(await call("POST", `/runs/${ids.oldCompleted}/complete`, { token: u.key, body: { tokensInput: 1, tokensOutput: 1 } }), 200);
    const old = [ids.oldQueued, ids.oldRunning, ids.oldCompleted, ids.bulk1, ids.bulk2, ids.bulk3];
    await sql(`UPDATE marketing.runs SET queued_at = queued_at - interval '2 hours' WHERE id = ANY($1::uuid[])`, [old]);

    const report = await run(failStuckRuns, {
      ...testEnv,
      MARKETING_STUCK_RUN_MS: String(60 * 60_000),
      SWEEP_BATCH_SIZE: "2",
    } as typeof testEnv);
    expect(report.ok).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(5);
    expect(report.details?.batchSize).toBe(2);
    for (const id of [ids.oldQueued, ids.oldRunning, ids.bulk1, ids.bulk2, ids.bulk3]) {
      const row = await statusOf(id!);
      expect(row.status).toBe("failed");
      expect(row.error_message).toMatch(/stuck-run sweep/);
    }
    expect((await statusOf(ids.oldCompleted!)).status).toBe("completed");
    expect((await statusOf(ids.freshQueued!)).status).toBe("queued");
  });

  it("an output whose object cannot be written stays pending and unseen; the sweep removes old pendings with their objects, keeping stored outputs", async () => {
    const skill = uniq("sweep-skill");
    await upsertSkill(skill);
    const u = await createUser();
    const r = await createRun(u, skill);
    const failingFiles = {
      put: async () => {
        throw new Error("R2 down");
      },
    } as unknown as R2Bucket;
    const res = await callWith({ FILES: failingFiles }, "POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# lost" } });
    expect(res.status).toBe(503);
    const [pending] = await sql<{ id: string; s3_key: string; status: string }>(
      `SELECT id, s3_key, status FROM marketing.outputs WHERE run_id = $1`,
      [r.id],
    );
    expect(pending!.status).toBe("pending");
    expect((await json(await call("GET", `/runs/${r.id}`, { token: u.key }), 200)).outputs).toEqual([]);
    expect((await call("GET", `/outputs/${pending!.id}`, { token: u.key })).status).toBe(404);
    expect(
      (await call("POST", `/outputs/${pending!.id}/feedback`, { token: u.key, body: { overallScore: 3, source: "web" } })).status,
    ).toBe(404);

    // A stored output and an old pending one whose object did get written (the writer died before `stored`).
    const stored = await json(await call("POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# kept" } }), 201);
    await testEnv.FILES.put(pending!.s3_key, "# half-written");
    await sql(`UPDATE marketing.outputs SET created_at = created_at - interval '2 hours' WHERE run_id = $1`, [r.id]);

    const report = await run(purgePendingOutputs);
    expect(report.ok).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(1);
    expect(await sql(`SELECT 1 FROM marketing.outputs WHERE id = $1`, [pending!.id])).toEqual([]);
    expect(await testEnv.FILES.head(pending!.s3_key)).toBeNull();
    expect(await sql(`SELECT status FROM marketing.outputs WHERE id = $1`, [stored.id])).toEqual([{ status: "stored" }]);
    expect(await testEnv.FILES.head(stored.s3Key)).not.toBeNull();
  });

  it("remove R2 objects under outputs/ that no row names once older than the configured age, in pages; objects with a row and fresh orphans stay", async () => {
    const skill = uniq("sweep-skill");
    await upsertSkill(skill);
    const u = await createUser();
    const r = await createRun(u, skill);
    const kept = await json(await call("POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# has a row" } }), 201);
    const dir = `outputs/${uniq("orphans")}`;
    const oldKeys = [`${dir}/old-1.md`, `${dir}/old-2.md`, `${dir}/old-3.md`];
    for (const k of oldKeys) await testEnv.FILES.put(k, "left behind");
    const freshKey = `${dir}/fresh.md`;
    // The age threshold is compared with R2's own `uploaded` stamps: wait until the fresh object's is later.
    const lastOld = (await testEnv.FILES.head(oldKeys.at(-1)!))!.uploaded.getTime();
    let fresh: number;
    do {
      await new Promise((r) => setTimeout(r, 5));
      await testEnv.FILES.put(freshKey, "just written");
      fresh = (await testEnv.FILES.head(freshKey))!.uploaded.getTime();
    } while (fresh <= lastOld);
    await redis().del(ORPHAN_SWEEP_POSITION);

    const minAge = 60 * 60_000;
    // The trigger fires one hour after the fresh object was written: only what is strictly older goes.
    const at = fresh + minAge;
    const report = await run(
      removeOrphanObjects,
      { ...testEnv, MARKETING_ORPHAN_MIN_AGE_MS: String(minAge), SWEEP_BATCH_SIZE: "2" } as typeof testEnv,
      at,
    );
    expect(report.ok, report.error).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(3);
    expect(report.details).toMatchObject({ complete: true, pageSize: 2 });
    expect(report.details!.pages as number).toBeGreaterThanOrEqual(3);
    for (const k of oldKeys) expect(await testEnv.FILES.head(k)).toBeNull();
    expect(await testEnv.FILES.head(freshKey)).not.toBeNull();
    expect(await testEnv.FILES.head(kept.s3Key)).not.toBeNull();
    expect(await sql(`SELECT status FROM marketing.outputs WHERE id = $1`, [kept.id])).toEqual([{ status: "stored" }]);
    // A complete pass forgets its position, so the next one starts from the first key again.
    expect(await redis().get(ORPHAN_SWEEP_POSITION)).toBeNull();

    // With the default age (one hour, on the real clock) the fresh orphan stays.
    await run(removeOrphanObjects);
    expect(await testEnv.FILES.head(freshKey)).not.toBeNull();
  });

  it("an output deleted while R2 refused the object's delete leaves an orphan that the sweep removes an hour later", async () => {
    const skill = uniq("sweep-skill");
    await upsertSkill(skill);
    const u = await createUser();
    const r = await createRun(u, skill);
    const out = await json(await call("POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# soon orphaned" } }), 201);
    const noDelete = {
      delete: async () => {
        throw new Error("R2 down");
      },
    } as unknown as R2Bucket;
    expect((await callWith({ FILES: noDelete }, "DELETE", `/outputs/${out.id}`, { token: u.key })).status).toBe(204);
    expect(await sql(`SELECT 1 FROM marketing.outputs WHERE id = $1`, [out.id])).toEqual([]);
    const uploaded = (await testEnv.FILES.head(out.s3Key))!.uploaded.getTime();
    await redis().del(ORPHAN_SWEEP_POSITION);
    const report = await run(removeOrphanObjects, testEnv, uploaded + 60 * 60_000 + 1);
    expect(report.ok, report.error).toBe(true);
    expect(await testEnv.FILES.head(out.s3Key)).toBeNull();
  });

  it("a failing file store fails the orphan sweep's run (reported), touching nothing", async () => {
    const failing = {
      list: async () => {
        throw new Error("R2 down");
      },
    } as unknown as R2Bucket;
    const report = await run(removeOrphanObjects, { ...testEnv, FILES: failing } as typeof testEnv);
    expect(report.ok).toBe(false);
  });
});
