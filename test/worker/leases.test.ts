/**
 * Leases (src/db/leases.ts) over a test-only table, created here through the control server so the
 * migration set stays clean (no module table has lease columns yet).
 */
import { and, eq, inArray } from "drizzle-orm";
import { boolean, integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { claimWithLease, extendLease, releaseLease } from "../../src/db/leases";
import { sql, testEnv } from "./helpers";

const leaseTest = pgSchema("lease_test");
const jobs = leaseTest.table("jobs", {
  id: integer("id").primaryKey(),
  batch: text("batch").notNull(),
  done: boolean("done").notNull().default(false),
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: timestamp("lease_expires_at"),
});

beforeAll(async () => {
  await sql("CREATE SCHEMA IF NOT EXISTS lease_test");
  await sql(`CREATE TABLE IF NOT EXISTS lease_test.jobs (id integer PRIMARY KEY, batch text NOT NULL, done boolean NOT NULL DEFAULT false,
    lease_owner text, lease_expires_at timestamp)`);
});

let nextId = 1 + Math.floor(Math.random() * 1e6) * 1000;
async function seed(n: number): Promise<string> {
  const batch = crypto.randomUUID();
  const first = nextId;
  nextId += n;
  await sql("INSERT INTO lease_test.jobs (id, batch) SELECT g, $1 FROM generate_series($2::int, $3::int) g", [batch, first, first + n - 1]);
  return batch;
}

const db = () => createDb(testEnv, {});

describe("claimWithLease", () => {
  it("two claimers running at once over 500 due rows claim every row exactly once", async () => {
    const batch = await seed(500);
    const claimer = async (owner: string) => {
      const claimed: number[] = [];
      for (;;) {
        const { token, rows } = await claimWithLease(db(), { table: jobs, where: eq(jobs.batch, batch), limit: 40, ttlMs: 60_000, owner });
        expect(rows.every((r) => r.leaseOwner === token)).toBe(true);
        claimed.push(...rows.map((r) => r.id));
        if (rows.length === 0) return claimed;
      }
    };
    const [a, b] = await Promise.all([claimer("a"), claimer("b")]);
    const all = [...a, ...b];
    expect(all).toHaveLength(500);
    expect(new Set(all).size).toBe(500);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    // read back: every row holds a lease of the claimer that returned it
    const rows = await sql<{ id: number; lease_owner: string }>("SELECT id, lease_owner FROM lease_test.jobs WHERE batch = $1", [batch]);
    const ownerOf = new Map(rows.map((r) => [r.id, r.lease_owner]));
    expect(a.every((id) => ownerOf.get(id)?.startsWith("a:"))).toBe(true);
    expect(b.every((id) => ownerOf.get(id)?.startsWith("b:"))).toBe(true);
  });

  it("release and extend work only with the holder's token; an expired lease is claimable again", async () => {
    const batch = await seed(3);
    const mine = eq(jobs.batch, batch);
    const first = await claimWithLease(db(), { table: jobs, where: mine, limit: 10, ttlMs: 60_000 });
    expect(first.rows).toHaveLength(3);
    expect((await claimWithLease(db(), { table: jobs, where: mine, limit: 10, ttlMs: 60_000 })).rows).toHaveLength(0);

    expect(await extendLease(db(), jobs, mine, "someone-else", 60_000)).toBe(false);
    expect(await extendLease(db(), jobs, mine, first.token, 120_000)).toBe(true);
    await db().batch([releaseLease(db(), jobs, mine, "someone-else")]);
    expect(await sql("SELECT 1 FROM lease_test.jobs WHERE batch = $1 AND lease_owner = $2", [batch, first.token])).toHaveLength(3);

    // finishing one row and releasing it in one batch
    const one = first.rows[0]!.id;
    const d = db();
    await d.batch([
      d
        .update(jobs)
        .set({ done: true })
        .where(and(eq(jobs.id, one), eq(jobs.leaseOwner, first.token))),
      releaseLease(d, jobs, eq(jobs.id, one), first.token),
    ]);
    const again = await claimWithLease(db(), { table: jobs, where: and(mine, eq(jobs.done, false)), limit: 10, ttlMs: 60_000 });
    expect(again.rows).toHaveLength(0);

    // the holder dies: its lease runs out and another claimer takes the rows over
    await sql("UPDATE lease_test.jobs SET lease_expires_at = now() - interval '1 second' WHERE batch = $1 AND lease_owner = $2", [
      batch,
      first.token,
    ]);
    const takeover = await claimWithLease(db(), {
      table: jobs,
      where: and(mine, eq(jobs.done, false)),
      limit: 10,
      ttlMs: 60_000,
      owner: "b",
    });
    expect(takeover.rows.map((r) => r.id).sort()).toEqual(
      first.rows
        .slice(1)
        .map((r) => r.id)
        .sort(),
    );
    expect(
      await extendLease(
        db(),
        jobs,
        inArray(
          jobs.id,
          takeover.rows.map((r) => r.id),
        ),
        first.token,
        60_000,
      ),
    ).toBe(false);
  });
});
