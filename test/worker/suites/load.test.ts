/**
 * Issue 15 §5, the small run in `npm test`: the mixed workload of test/load/workload.ts at concurrency 10 through
 * the Worker, then the rows read back from Postgres. `npm run load` (bench/load.ts) is the long run.
 */
import { describe, expect, it } from "vitest";
import { type LoadRequest, setupPrincipals, Workload } from "../../load/workload";
import { api, sql, testEnv } from "../helpers";

const REQUESTS = 300;
const CONCURRENCY = 10;

async function send(req: LoadRequest) {
  const res = await api(req.path, { method: req.method, headers: req.headers, body: req.body });
  return { status: res.status, text: await res.text() };
}

describe("load with nothing lost (small run)", () => {
  it(`${REQUESTS} mixed requests at concurrency ${CONCURRENCY}: every 201 has exactly one row, no orphan, no duplicate, no illegal status, no 5xx`, async () => {
    const tag = `lt${crypto.randomUUID().slice(0, 8)}`;
    const env = testEnv as typeof testEnv & { SUPABASE_JWT_SECRET: string };
    const principals = await setupPrincipals(send, { adminToken: env.ADMIN_TOKEN!, chatJwtSecret: env.SUPABASE_JWT_SECRET, tag });
    const wl = new Workload(principals, tag);
    let left = REQUESTS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (left-- > 0) {
          const p = wl.next();
          const a = await send(p);
          p.onAnswer(a.status, a.text);
        }
      }),
    );
    await wl.drain(send);
    const report = await wl.verify(sql);
    console.log(`load (small): ${JSON.stringify({ ...report, problems: undefined })}`);
    expect(report.problems).toEqual([]);
    expect(report.fiveXx).toBe(0);
    expect(report.created).toBeGreaterThan(REQUESTS / 5);
    expect(report.rows).toBe(report.created);
    expect({
      lost: report.lost,
      orphans: report.orphans,
      duplicates: report.duplicates,
      illegal: report.illegal,
      unresolved: report.unresolved,
    }).toEqual({
      lost: 0,
      orphans: 0,
      duplicates: 0,
      illegal: 0,
      unresolved: 0,
    });
  }, 120_000);
});
