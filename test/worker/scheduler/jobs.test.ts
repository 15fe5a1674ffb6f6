/** Jobs: schedules in plain words → cron and next run, the seed's list query on 250 jobs, status moves, patch, isolation. */
import { beforeAll, describe, expect, it } from "vitest";
import { nextRun, toCron } from "../../../functions/scheduler/schedule";
import { sql } from "../helpers";
import { call, createJob, createUser, ok, type TestUser } from "./helpers";

const FROM = new Date("2026-12-01T10:07:00Z"); // a Tuesday

describe("schedule phrases", () => {
  const table: [string, string, string][] = [
    ["every 15 minutes", "*/15 * * * *", "2026-12-01T10:15:00.000Z"],
    ["every minute", "* * * * *", "2026-12-01T10:08:00.000Z"],
    ["Every 5 mins", "*/5 * * * *", "2026-12-01T10:10:00.000Z"],
    ["hourly", "0 * * * *", "2026-12-01T11:00:00.000Z"],
    ["every hour at :30", "30 * * * *", "2026-12-01T10:30:00.000Z"],
    ["every 2 hours", "0 */2 * * *", "2026-12-01T12:00:00.000Z"],
    ["every day at 09:00", "0 9 * * *", "2026-12-02T09:00:00.000Z"],
    ["daily at 6pm", "0 18 * * *", "2026-12-01T18:00:00.000Z"],
    ["weekdays at 8am", "0 8 * * 1-5", "2026-12-02T08:00:00.000Z"],
    ["every weekday at 8:30 am", "30 8 * * 1-5", "2026-12-02T08:30:00.000Z"],
    ["weekends at 10:15", "15 10 * * 0,6", "2026-12-05T10:15:00.000Z"],
    ["every monday at 8am", "0 8 * * 1", "2026-12-07T08:00:00.000Z"],
    ["every mon, wed and fri at 18:30", "30 18 * * 1,3,5", "2026-12-02T18:30:00.000Z"],
    ["every month on the 1st at 9am", "0 9 1 * *", "2027-01-01T09:00:00.000Z"],
    ["at noon", "0 12 * * *", "2026-12-01T12:00:00.000Z"],
    ["*/10 9-17 * * 1-5", "*/10 9-17 * * 1-5", "2026-12-01T10:10:00.000Z"],
  ];
  for (const [phrase, cron, next] of table) {
    it(`"${phrase}" → ${cron}, next ${next}`, () => {
      expect(toCron(phrase)).toBe(cron);
      expect(nextRun(cron, "UTC", FROM)!.toISOString()).toBe(next);
    });
  }

  it("reads the schedule in the job's time zone and answers nextRunAt in UTC", () => {
    // 08:00 in Paris is 07:00 UTC in winter
    expect(nextRun(toCron("weekdays at 8am"), "Europe/Paris", FROM)!.toISOString()).toBe("2026-12-02T07:00:00.000Z");
    expect(nextRun(toCron("every day at 09:00"), "America/New_York", FROM)!.toISOString()).toBe("2026-12-01T14:00:00.000Z");
  });

  it("answers 400 saying what was not understood", async () => {
    const u = await createUser();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ definitionNL: "every blue moon" }, "body.definitionNL", /"blue moon" is not a recognised interval/],
      [{ definitionNL: "every day at 25:00" }, "body.definitionNL", /"25:00" is not a time of day/],
      [{ definitionNL: "every funday at 8am" }, "body.definitionNL", /"funday" is not a recognised interval/],
      [{ definitionNL: "61 * * * *" }, "body.definitionNL", /not a valid cron expression/],
      [{ definitionNL: "every 90 minutes" }, "body.definitionNL", /out of range/],
      [{ definitionNL: "every day at 9am", timezone: "Mars/Olympus" }, "body.timezone", /not an IANA time zone/],
    ];
    for (const [body, path, detail] of cases) {
      const res = await call(u, "/jobs", "POST", body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const p = await res.json<any>();
      expect(p.detail).toMatch(detail);
      expect(p.errors[0].path).toBe(path);
    }
    expect(Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM scheduler."Job" WHERE "userId" = $1`, [u.id]))[0]!.n)).toBe(0);
  });
});

describe("jobs", () => {
  it("create stores the cron, time zone and nextRunAt; default status PAUSED", async () => {
    const u = await createUser();
    const before = Date.now();
    const job = await createJob(u, { definitionNL: "every 15 minutes" });
    expect(job).toMatchObject({ status: "PAUSED", cronExpression: "*/15 * * * *", timezone: "UTC", consecutiveFailures: 0, locked: false });
    const next = Date.parse(job.nextRunAt);
    expect(next).toBeGreaterThan(before);
    expect(next % (15 * 60_000)).toBe(0);
    const [row] = await sql<any>(`SELECT "cronExpression", "userId", status FROM scheduler."Job" WHERE id = $1`, [job.id]);
    expect(row).toEqual({ cronExpression: "*/15 * * * *", userId: u.id, status: "PAUSED" });
  });

  it("pause / resume / archive move only from allowed statuses; resume recomputes nextRunAt", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "every day at 09:00", status: "ACTIVE" });
    expect((await ok(await call(u, `/jobs/${job.id}/pause`, "POST"))).status).toBe("PAUSED");
    expect((await call(u, `/jobs/${job.id}/pause`, "POST")).status).toBe(409);
    await sql(`UPDATE scheduler."Job" SET "nextRunAt" = '2020-01-01', "consecutiveFailures" = 3 WHERE id = $1`, [job.id]);
    const resumed = await ok(await call(u, `/jobs/${job.id}/resume`, "POST"));
    expect(resumed.status).toBe("ACTIVE");
    expect(Date.parse(resumed.nextRunAt)).toBeGreaterThan(Date.now());
    expect(resumed.consecutiveFailures).toBe(0);
    expect((await ok(await call(u, `/jobs/${job.id}/archive`, "POST"))).status).toBe("ARCHIVED");
    for (const move of ["pause", "resume", "archive", "run"]) expect((await call(u, `/jobs/${job.id}/${move}`, "POST")).status).toBe(409);
    expect((await call(u, `/jobs/${job.id}`, "PATCH", { llmModel: "x/y" })).status).toBe(409);
  });

  it("patch recomputes the schedule and nextRunAt; a bad schedule changes nothing", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "every 15 minutes" });
    const patched = await ok(await call(u, `/jobs/${job.id}`, "PATCH", { definitionNL: "every monday at 8am", timezone: "Europe/Paris" }));
    expect(patched).toMatchObject({ cronExpression: "0 8 * * 1", timezone: "Europe/Paris", definitionNL: "every monday at 8am" });
    expect(new Date(patched.nextRunAt).getUTCDay()).toBe(1);
    expect(new Date(patched.nextRunAt).getUTCHours()).toBe(7);
    const tzOnly = await ok(await call(u, `/jobs/${job.id}`, "PATCH", { timezone: "UTC" }));
    expect(new Date(tzOnly.nextRunAt).getUTCHours()).toBe(8);
    expect((await call(u, `/jobs/${job.id}`, "PATCH", { definitionNL: "whenever you like" })).status).toBe(400);
    expect((await ok(await call(u, `/jobs/${job.id}`))).cronExpression).toBe("0 8 * * 1");
    expect((await ok(await call(u, `/jobs/${job.id}`, "PATCH", { llmModel: "fake/model" }))).llmModel).toBe("fake/model");
  });

  it("another user's job answers 404 on every route; delete removes it", async () => {
    const owner = await createUser();
    const other = await createUser();
    const job = await createJob(owner, { definitionNL: "hourly" });
    const ep = await ok(await call(owner, `/jobs/${job.id}/endpoints`, "POST", { name: "t", url: "https://example.com/x" }), 201);
    const routes: [string, string, unknown?][] = [
      ["GET", `/jobs/${job.id}`],
      ["PATCH", `/jobs/${job.id}`, { llmModel: "a/b" }],
      ["DELETE", `/jobs/${job.id}`],
      ["POST", `/jobs/${job.id}/pause`],
      ["POST", `/jobs/${job.id}/resume`],
      ["POST", `/jobs/${job.id}/archive`],
      ["POST", `/jobs/${job.id}/run`],
      ["GET", `/jobs/${job.id}/endpoints`],
      ["POST", `/jobs/${job.id}/endpoints`, { name: "t", url: "https://example.com" }],
      ["GET", `/jobs/${job.id}/endpoints/${ep.id}`],
      ["PATCH", `/jobs/${job.id}/endpoints/${ep.id}`, { name: "n" }],
      ["DELETE", `/jobs/${job.id}/endpoints/${ep.id}`],
      ["GET", `/jobs/${job.id}/context`],
      ["PUT", `/jobs/${job.id}/context/k`, { value: "v" }],
      ["DELETE", `/jobs/${job.id}/context/k`],
      ["GET", `/jobs/${job.id}/messages`],
      ["GET", `/jobs/${job.id}/tasks`],
    ];
    for (const [method, path, body] of routes) expect((await call(other, path, method, body)).status, `${method} ${path}`).toBe(404);
    expect((await ok(await call(other, `/usage?jobId=${job.id}`))).days).toEqual([]);
    expect((await call(owner, `/jobs/${job.id}`)).status).toBe(200);
    expect((await call(owner, `/jobs/${job.id}`, "DELETE")).status).toBe(204);
    expect((await call(owner, `/jobs/${job.id}`)).status).toBe(404);
    expect(await sql(`SELECT id FROM scheduler."Endpoint" WHERE "jobId" = $1`, [job.id])).toEqual([]);
  });

  it("create with an Idempotency-Key: a retry replays the first answer and creates nothing more", async () => {
    const u = await createUser();
    const send = () => call({ ...u.headers, "Idempotency-Key": `k-${u.id}` }, "/jobs", "POST", { definitionNL: "every 5 minutes" });
    const first = await ok(await send(), 201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await again.json<any>()).id).toBe(first.id);
    expect(await sql(`SELECT count(*)::int AS n FROM scheduler."Job" WHERE "userId" = $1`, [u.id])).toEqual([{ n: 1 }]);
  });

  it("invalid ids and bodies answer 400 naming the field, never 500", async () => {
    const u = await createUser();
    expect((await call(u, "/jobs/not-a-uuid")).status).toBe(400);
    const res = await call(u, "/jobs", "POST", { definitionNL: "x" });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].path).toBe("body.definitionNL");
    expect((await call(u, "/jobs", "POST", { definitionNL: "hourly", status: "ARCHIVED" })).status).toBe(400);
  });
});

describe("GET /jobs with the seed's listJobsSchema on 250 jobs", () => {
  let u: TestUser;
  let all: { id: string; definitionNL: string; createdAt: string; updatedAt: string }[];
  const words = ["Backup", "report", "Sync", "ping"];

  beforeAll(async () => {
    u = await createUser();
    // 250 jobs with distinct createdAt/updatedAt (not in the same order) and definitions (some containing "Backup").
    await sql(
      `INSERT INTO scheduler."Job" (id, "definitionNL", "userId", "cronExpression", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, (ARRAY['Backup','report','Sync','ping'])[1 + i % 4] || ' job ' || lpad(i::text, 3, '0') || ' 50%_off',
        $1, '0 * * * *', timestamp '2026-01-01' + i * interval '1 minute', timestamp '2026-06-01' + ((i * 37) % 250) * interval '1 minute'
      FROM generate_series(1, 250) AS i`,
      [u.id],
    );
    all = await sql(
      `SELECT id, "definitionNL", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
      to_char("updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt" FROM scheduler."Job" WHERE "userId" = $1`,
      [u.id],
    );
    expect(all.length).toBe(250);
  });

  const sorted = (by: "createdAt" | "updatedAt" | "definitionNL", dir: "asc" | "desc", search?: string) => {
    const rows = all.filter((j) => !search || j.definitionNL.toLowerCase().includes(search.toLowerCase()));
    rows.sort((a, b) => (a[by] < b[by] ? -1 : a[by] > b[by] ? 1 : a.id < b.id ? -1 : 1));
    return dir === "asc" ? rows : rows.reverse();
  };

  it("defaults: page 1, pageSize 10, createdAt desc, hasNext", async () => {
    const page = await ok(await call(u, "/jobs"));
    expect(page).toMatchObject({ page: 1, pageSize: 10, hasNext: true });
    expect(page.items.map((j: any) => j.id)).toEqual(
      sorted("createdAt", "desc")
        .slice(0, 10)
        .map((j) => j.id),
    );
  });

  for (const sortBy of ["createdAt", "updatedAt", "definitionNL"] as const) {
    for (const sortDirection of ["asc", "desc"] as const) {
      for (const [pageNo, pageSize] of [
        [1, 100],
        [3, 100],
        [2, 7],
        [26, 10],
      ] as const) {
        it(`sortBy=${sortBy} ${sortDirection} page=${pageNo} pageSize=${pageSize}`, async () => {
          const expected = sorted(sortBy, sortDirection);
          const page = await ok(await call(u, `/jobs?sortBy=${sortBy}&sortDirection=${sortDirection}&page=${pageNo}&pageSize=${pageSize}`));
          const start = (pageNo - 1) * pageSize;
          expect(page.items.map((j: any) => j.id)).toEqual(expected.slice(start, start + pageSize).map((j) => j.id));
          expect(page.hasNext).toBe(start + pageSize < expected.length);
        });
      }
    }
  }

  it("walking every page with pageSize 100 returns each job once, hasNext false on the last", async () => {
    const seen: string[] = [];
    for (let p = 1; ; p++) {
      const page = await ok(await call(u, `/jobs?pageSize=100&page=${p}`));
      seen.push(...page.items.map((j: any) => j.id));
      if (!page.hasNext) {
        expect(p).toBe(3);
        break;
      }
    }
    expect(new Set(seen).size).toBe(250);
  });

  for (const search of ["backup", "BACKUP", "job 1", "50%_off", "%", "_", "nothing matches"]) {
    it(`searchQuery=${search} (ilike, wildcards literal) with sortBy definitionNL asc`, async () => {
      const expected = sorted("definitionNL", "asc", search);
      const page = await ok(
        await call(u, `/jobs?searchQuery=${encodeURIComponent(search)}&sortBy=definitionNL&sortDirection=asc&pageSize=100`),
      );
      expect(page.items.map((j: any) => j.id)).toEqual(expected.slice(0, 100).map((j) => j.id));
      expect(page.hasNext).toBe(expected.length > 100);
    });
  }

  it("searchQuery with paging: page 2 of the backup jobs", async () => {
    const expected = sorted("createdAt", "desc", words[0]);
    const page = await ok(await call(u, `/jobs?searchQuery=Backup&page=2&pageSize=25`));
    expect(page.items.map((j: any) => j.id)).toEqual(expected.slice(25, 50).map((j) => j.id));
    expect(page.hasNext).toBe(expected.length > 50);
  });

  it("only the caller's jobs; a page past the end is empty", async () => {
    const other = await createUser();
    expect((await ok(await call(other, "/jobs"))).items).toEqual([]);
    expect(await ok(await call(u, "/jobs?page=99"))).toMatchObject({ items: [], hasNext: false });
  });

  it("rejects what listJobsSchema rejects with 400", async () => {
    for (const q of ["pageSize=101", "pageSize=0", "page=0", "sortBy=userId", "sortDirection=up", "page=abc"]) {
      expect((await call(u, `/jobs?${q}`)).status, q).toBe(400);
    }
  });
});
