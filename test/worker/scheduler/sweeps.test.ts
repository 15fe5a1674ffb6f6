/** The scheduler's nightly purge of expired Auth.js sessions and verification tokens (batched, counted in Postgres). */
import { describe, expect, it } from "vitest";
import { purgeExpiredAuth } from "../../../functions/scheduler/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import { sql, testEnv } from "../helpers";
import { createSession, createUser, uid } from "./helpers";

describe("scheduler.purge-expired-auth", () => {
  it("deletes expired sessions and verification tokens, in batches, and reports how many", async () => {
    const u = await createUser();
    const live = await createSession(u.id);
    const expired = [await createSession(u.id, -60_000), await createSession(u.id, -3_600_000), await createSession(u.id, -1000)];
    const who = uid("verify");
    await sql(
      `INSERT INTO scheduler."verificationToken" (identifier, token, expires) VALUES
       ($1, 'old-1', now() - interval '1 hour'), ($1, 'old-2', now() - interval '1 minute'), ($1, 'fresh', now() + interval '1 hour')`,
      [who],
    );
    // two rows per statement: the loop runs until a batch comes back short
    const [out] = await dispatchCron({ once: [purgeExpiredAuth] }, "once", { ...testEnv, SWEEP_BATCH_SIZE: "2" }, Date.now());
    expect(out!.ok).toBe(true);
    const sessions = await sql<{ sessionToken: string }>(`SELECT "sessionToken" FROM scheduler.session WHERE "userId" = $1`, [u.id]);
    expect(sessions.map((s) => s.sessionToken)).toEqual([live]);
    for (const token of expired) expect(sessions.some((s) => s.sessionToken === token)).toBe(false);
    const tokens = await sql<{ token: string }>(`SELECT token FROM scheduler."verificationToken" WHERE identifier = $1`, [who]);
    expect(tokens.map((t) => t.token)).toEqual(["fresh"]);
    // other tests' expired rows may be swept too: at least ours are counted
    expect(out!.rows).toBeGreaterThanOrEqual(5);
    expect((out!.details as { sessions: number }).sessions).toBeGreaterThanOrEqual(3);
    expect((out!.details as { verificationTokens: number }).verificationTokens).toBeGreaterThanOrEqual(2);
  });
});
