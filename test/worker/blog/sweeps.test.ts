import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteAbandonedDrafts, purgeExpiredBrandVoices, purgeExpiredDresses } from "../../../functions/blog/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import { EVERY_FIVE_MINUTES, NIGHTLY } from "../../../src/cron/schedule";
import { cronTable } from "../../../src/registry";
import type { Sweep } from "../../../src/cron/types";
import worker from "../../../src/index";
import { sql, testEnv } from "../helpers";
import { uniq } from "../helpers";

const exists = async (table: string, column: string, value: string) =>
  (await sql(`SELECT 1 FROM blog.${table} WHERE ${column} = $1`, [value])).length === 1;
const run = async (sweep: Sweep, env = testEnv) => (await dispatchCron({ once: [sweep] }, "once", env, Date.now()))[0]!;

async function dressRow(expired: boolean) {
  const id = uniq("sw");
  await sql(`INSERT INTO blog.cached_dresses (external_id, name, expires_at) VALUES ($1, $1, now() + $2::interval)`, [
    id,
    expired ? "-1 hour" : "1 hour",
  ]);
  return id;
}
const sessionWith = (status: string, fields: { dresses?: string[]; storeUrl?: string }) =>
  sql(`INSERT INTO blog.blog_sessions (status, selected_dress_ids, store_url) VALUES ($1, $2, $3)`, [
    status,
    fields.dresses ? JSON.stringify(fields.dresses) : null,
    fields.storeUrl ?? null,
  ]);

describe("blog sweeps", () => {
  beforeEach(async () => {
    // Start each test from no expired cold rows left by other suites.
    await run(purgeExpiredDresses);
    await run(purgeExpiredBrandVoices);
  });

  it("are registered: the nightly trigger purges, the five-minute one fails stuck sessions", () => {
    expect(cronTable[NIGHTLY]!.map((s) => s.name)).toEqual(
      expect.arrayContaining(["blog.purge-expired-dresses", "blog.purge-expired-brand-voices"]),
    );
    expect(cronTable[EVERY_FIVE_MINUTES]!.map((s) => s.name)).toEqual(
      expect.arrayContaining(["blog.fail-stuck-sessions", "blog.delete-abandoned-drafts"]),
    );
  });

  it("delete exactly the expired dresses no draft or generating session selects", async () => {
    const [cold, byDraft, byGenerating, byCompleted, fresh] = [
      await dressRow(true),
      await dressRow(true),
      await dressRow(true),
      await dressRow(true),
      await dressRow(false),
    ];
    await sessionWith("draft", { dresses: [byDraft!] });
    await sessionWith("generating", { dresses: ["other", byGenerating!] });
    await sessionWith("completed", { dresses: [byCompleted!] });
    const report = await run(purgeExpiredDresses);
    expect(report).toMatchObject({ ok: true, rows: 2 });
    expect(await exists("cached_dresses", "external_id", cold!)).toBe(false);
    expect(await exists("cached_dresses", "external_id", byCompleted!)).toBe(false);
    for (const kept of [byDraft!, byGenerating!, fresh!]) expect(await exists("cached_dresses", "external_id", kept)).toBe(true);
    expect((await run(purgeExpiredDresses)).rows).toBe(0); // idempotent
  });

  it("delete exactly the expired brand voices of stores no draft or generating session is about", async () => {
    const [cold, referenced, fresh] = [`https://${uniq("a")}.example`, `https://${uniq("b")}.example`, `https://${uniq("c")}.example`];
    await sql(
      `INSERT INTO blog.brand_voice_cache (url, analysis_result, expires_at) VALUES ($1, '{}', now() - interval '1 hour'), ($2, '{}', now() - interval '1 hour'), ($3, '{}', now() + interval '1 hour')`,
      [cold, referenced, fresh],
    );
    await sessionWith("draft", { storeUrl: referenced });
    expect(await run(purgeExpiredBrandVoices)).toMatchObject({ ok: true, rows: 1 });
    expect(await exists("brand_voice_cache", "url", cold)).toBe(false);
    expect(await exists("brand_voice_cache", "url", referenced)).toBe(true);
    expect(await exists("brand_voice_cache", "url", fresh)).toBe(true);
  });

  it("work in bounded batches and stop taking batches at the deadline", async () => {
    const prefix = uniq("bulk");
    await sql(
      `INSERT INTO blog.cached_dresses (external_id, name, expires_at) SELECT $1 || '-' || i, 'bulk', now() - interval '1 day' FROM generate_series(1, 1200) i`,
      [prefix],
    );
    // A spent budget stops the sweep even inside a batch: the statement's deadline is what is left of it.
    const first = await run(purgeExpiredDresses, { ...testEnv, SWEEP_BUDGET_MS: "1", SWEEP_BATCH_SIZE: "500" });
    expect(first).toMatchObject({ rows: 0, details: { batchSize: 500, deadline: true } });
    expect(await sql(`SELECT 1 FROM blog.cached_dresses WHERE external_id LIKE $1`, [`${prefix}-%`])).toHaveLength(1200);
    const rest = await run(purgeExpiredDresses, { ...testEnv, SWEEP_BATCH_SIZE: "500" });
    expect(rest).toMatchObject({ rows: 1200, details: { batches: 3, batchSize: 500 } });
    expect(await sql(`SELECT 1 FROM blog.cached_dresses WHERE external_id LIKE $1`, [`${prefix}-%`])).toEqual([]);
  });

  it("fail sessions stuck in generating past the timeout, through the Worker's scheduled handler", async () => {
    const [stuck] = await sql<{ id: string }>(
      `INSERT INTO blog.blog_sessions (status, agent_log, updated_at) VALUES ('generating', '[{"agent":"blog-writer","outcome":"ok"}]', now() - interval '20 minutes') RETURNING id`,
    );
    const [recent] = await sql<{ id: string }>(
      `INSERT INTO blog.blog_sessions (status, updated_at) VALUES ('generating', now() - interval '1 minute') RETURNING id`,
    );
    const [oldDraft] = await sql<{ id: string }>(
      `INSERT INTO blog.blog_sessions (status, updated_at) VALUES ('draft', now() - interval '2 hours') RETURNING id`,
    );

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: EVERY_FIVE_MINUTES, scheduledTime: Date.now() }), testEnv, ctx);
    await waitOnExecutionContext(ctx);

    const rows = await sql<{ id: string; status: string; agent_log: string | null }>(
      `SELECT id, status, agent_log FROM blog.blog_sessions WHERE id = ANY($1)`,
      [[stuck!.id, recent!.id, oldDraft!.id]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[stuck!.id]!.status).toBe("failed");
    const log = JSON.parse(byId[stuck!.id]!.agent_log!);
    expect(log.map((e: any) => e.agent)).toEqual(["blog-writer", "pipeline"]);
    expect(log[1]).toMatchObject({ outcome: "timeout", error: expect.stringMatching(/timed out/) });
    expect(byId[recent!.id]!.status).toBe("generating");
    expect(byId[oldDraft!.id]!.status).toBe("draft");
  });

  it("delete drafts unchanged for BLOG_DRAFT_MAX_AGE_HOURS (default 72), so their dresses and brand voice can be purged", async () => {
    const dress = await dressRow(true);
    const store = `https://${uniq("draft")}.example`;
    await sql(`INSERT INTO blog.brand_voice_cache (url, analysis_result, expires_at) VALUES ($1, '{}', now() - interval '1 hour')`, [
      store,
    ]);
    const insert = async (status: string, age: string) =>
      (
        await sql<{ id: string }>(
          `INSERT INTO blog.blog_sessions (status, selected_dress_ids, store_url, updated_at) VALUES ($1, $2, $3, now() - $4::interval) RETURNING id`,
          [status, JSON.stringify([dress]), store, age],
        )
      )[0]!.id;
    const abandoned = await insert("draft", "73 hours");
    const recent = await insert("draft", "71 hours");
    const oldFailed = await insert("failed", "200 hours");
    const oldCompleted = await insert("completed", "200 hours");
    const left = async () =>
      (await sql<{ id: string }>(`SELECT id FROM blog.blog_sessions WHERE id = ANY($1)`, [[abandoned, recent, oldFailed, oldCompleted]]))
        .map((r) => r.id)
        .sort();

    expect(await run(deleteAbandonedDrafts)).toMatchObject({ ok: true });
    expect(await left()).toEqual([recent, oldFailed, oldCompleted].sort());
    // The recent draft still pins the dress and the brand voice.
    await run(purgeExpiredDresses);
    await run(purgeExpiredBrandVoices);
    expect(await exists("cached_dresses", "external_id", dress)).toBe(true);
    expect(await exists("brand_voice_cache", "url", store)).toBe(true);

    // A shorter configured age takes the other draft too; then nothing pins them any more.
    expect(await run(deleteAbandonedDrafts, { ...testEnv, BLOG_DRAFT_MAX_AGE_HOURS: "24" } as typeof testEnv)).toMatchObject({ ok: true });
    expect(await left()).toEqual([oldFailed, oldCompleted].sort());
    expect((await run(purgeExpiredDresses)).rows).toBeGreaterThanOrEqual(1);
    await run(purgeExpiredBrandVoices);
    expect(await exists("cached_dresses", "external_id", dress)).toBe(false);
    expect(await exists("brand_voice_cache", "url", store)).toBe(false);
  });
});
