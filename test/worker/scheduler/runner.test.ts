/**
 * The runner against a local target server: claim (cron) → queued run → endpoint calls → task + message rows,
 * usage, next run, lease released; failures (500, timeout, unreachable, private address), backoff and
 * auto-pause, the LLM step, run-now, leases reclaimed, and exactly once under two overlapping cron runs.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { BACKOFF_MINUTES } from "../../../functions/scheduler/runner";
import { api, countRoundTrips, sql } from "../helpers";
import {
  addEndpoint,
  adminHeaders,
  BASE,
  call,
  callWith,
  createJob,
  createSession,
  createUser,
  deliver,
  jobRow,
  llm as chatApi,
  makeDue,
  ok,
  quiesce,
  runCron,
  target,
  type TestUser,
  uid,
  waitFor,
} from "./helpers";

const tasksOf = (jobId: string) => sql<any>(`SELECT * FROM scheduler."Task" WHERE "jobId" = $1 ORDER BY "createdAt", id`, [jobId]);
const messagesOf = (jobId: string) => sql<any>(`SELECT * FROM scheduler."Message" WHERE "jobId" = $1 ORDER BY "createdAt", id`, [jobId]);

/** An ACTIVE job due now with one endpoint on the target; returns the job, the endpoint and its path. */
async function dueJob(u: TestUser, opts: { definitionNL?: string; endpoint?: Record<string, unknown>; llmModel?: string } = {}) {
  const path = `/t/${uid("job")}`;
  const job = await createJob(u, { definitionNL: opts.definitionNL ?? "every 15 minutes", status: "ACTIVE", llmModel: opts.llmModel });
  const ep = await addEndpoint(u, job.id, { url: target.url(path), ...opts.endpoint });
  await makeDue(job.id);
  return { job, ep, path };
}

/** One cron run, then the queued runs of `jobIds` delivered; other jobs' messages are dropped. */
async function cycle(jobIds: string[]) {
  const sent = await runCron();
  const mine = sent.filter((m) => jobIds.includes(m.jobId));
  expect(mine.map((m) => m.jobId).sort()).toEqual([...jobIds].sort());
  return deliver(mine);
}

beforeEach(async () => {
  await quiesce();
  await target.reset();
  await chatApi.reset();
});
afterAll(() => quiesce());

describe("a run", () => {
  it("succeeds: endpoint called with its secrets, task + message written, usage added, next run advanced, lease released — in 2 round trips", async () => {
    const u = await createUser();
    const { job, ep, path } = await dueJob(u, {
      endpoint: {
        method: "POST",
        body: '{"hello":1}',
        headers: { "x-plain": "p" },
        bearerToken: "tok-123",
        secretHeaders: { "x-api-key": "k-456" },
      },
    });
    expect(ep).toMatchObject({ hasBearerToken: true, secretHeaderNames: ["x-api-key"], headers: { "x-plain": "p" } });
    expect(JSON.stringify(ep)).not.toMatch(/tok-123|k-456/);
    const [stored] = await sql<any>(`SELECT "bearerToken", "secretHeaders" FROM scheduler."Endpoint" WHERE id = $1`, [ep.id]);
    expect(stored.bearerToken).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toMatch(/tok-123|k-456/);

    const sent = await runCron();
    const msg = sent.find((m) => m.jobId === job.id)!;
    const leased = await jobRow(job.id);
    expect(leased.leaseOwner).toBe(msg.token);
    expect(Date.parse(leased.leaseExpiresAt)).toBeGreaterThan(Date.now());

    const { trips } = await countRoundTrips(() => deliver([msg]));
    expect(trips.postgres).toBe(2);

    const calls = await target.calls(path);
    expect(calls.count).toBe(1);
    expect(calls.calls[0]).toMatchObject({ method: "POST", authorization: "Bearer tok-123", body: '{"hello":1}' });
    expect(calls.calls[0].headers).toMatchObject({ "x-api-key": "k-456", "x-plain": "p" });

    const [task] = await tasksOf(job.id);
    expect(task).toMatchObject({ status: "SUCCEEDED", httpStatus: 200, endpointId: ep.id, runId: msg.token, error: null });
    expect(task.response).toContain(path);
    expect(task.durationMs).toBeGreaterThanOrEqual(0);
    const [message] = await messagesOf(job.id);
    expect(message.role).toBe("tool");
    expect(message.content).toMatch(/Run succeeded/);

    const after = await jobRow(job.id);
    expect(after).toMatchObject({
      leaseOwner: null,
      leaseExpiresAt: null,
      lockExpiresAt: null,
      locked: false,
      lastRunStatus: "SUCCEEDED",
      consecutiveFailures: 0,
      status: "ACTIVE",
    });
    const next = Date.parse(after.nextRunAt);
    expect(next).toBeGreaterThan(Date.now());
    expect(next % (15 * 60_000)).toBe(0);
    const usage = await sql<any>(`SELECT runs FROM scheduler."JobUsage" WHERE "jobId" = $1`, [job.id]);
    expect(usage).toEqual([{ runs: 1 }]);

    // The API shows it all, secrets excepted.
    const detail = await ok(await call(u, `/jobs/${job.id}`));
    expect(detail.recentTasks[0].status).toBe("SUCCEEDED");
    expect(detail.recentMessages.length).toBe(1);
    expect(detail.endpoints[0].hasBearerToken).toBe(true);
    expect(JSON.stringify(detail)).not.toMatch(/tok-123|k-456|v1\./);
    const tasksPage = await ok(await call(u, `/jobs/${job.id}/tasks`));
    expect(tasksPage.items.length).toBe(1);
    const msgPage = await ok(await call(u, `/jobs/${job.id}/messages?pageSize=1`));
    expect(msgPage).toMatchObject({ page: 1, pageSize: 1, hasNext: false });
  });

  it("a redelivered message does not run the job again", async () => {
    const u = await createUser();
    const { job, path } = await dueJob(u);
    const sent = (await runCron()).filter((m) => m.jobId === job.id);
    await deliver(sent);
    expect(await deliver(sent)).toEqual(["skipped"]);
    expect((await target.calls(path)).count).toBe(1);
    expect((await tasksOf(job.id)).length).toBe(1);
  });

  const failures: [string, Record<string, unknown>, (path: string) => Promise<unknown>, RegExp, number | null][] = [
    ["a 500", {}, (p) => target.rules([{ match: p, status: 500 }]), /answered HTTP 500/, 500],
    ["a stall past the timeout", { timeoutMs: 200 }, (p) => target.rules([{ match: p, delayMs: 1500 }]), /no answer within 200 ms/, null],
    ["an unreachable host", { url: "http://127.0.0.1:1/down" }, async () => undefined, /unreachable/, null],
  ];
  for (const [what, endpoint, arrange, error, httpStatus] of failures) {
    it(`fails on ${what}: task FAILED with the reason, streak 1, next run backed off`, async () => {
      const u = await createUser();
      const { job, path } = await dueJob(u, { endpoint });
      await arrange(path);
      const t0 = Date.now();
      await cycle([job.id]);
      const [task] = await tasksOf(job.id);
      expect(task.status).toBe("FAILED");
      expect(task.httpStatus).toBe(httpStatus);
      expect(task.error).toMatch(error);
      const after = await jobRow(job.id);
      expect(after).toMatchObject({ consecutiveFailures: 1, lastRunStatus: "FAILED", leaseOwner: null, status: "ACTIVE" });
      expect(Date.parse(after.nextRunAt)).toBeGreaterThanOrEqual(t0 + BACKOFF_MINUTES[0] * 60_000 - 1000);
      expect((await messagesOf(job.id))[0].content).toMatch(/Run failed/);
    });
  }

  it("refuses private addresses: 400 when the endpoint is saved, FAILED without a call when one is in the table", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly", status: "ACTIVE" });
    for (const url of [
      "http://10.0.0.5/x",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:8080/",
      "http://[::1]/",
      "http://192.168.1.1/",
      "http://[::ffff:10.0.0.1]/",
      "http://metadata.internal/",
    ]) {
      const res = await call(u, `/jobs/${job.id}/endpoints`, "POST", { name: "bad", url });
      expect(res.status, url).toBe(400);
      expect((await res.json<any>()).errors[0].path).toBe("body.url");
    }
    const ep = await addEndpoint(u, job.id, { url: "https://example.com/ok" });
    expect((await call(u, `/jobs/${job.id}/endpoints/${ep.id}`, "PATCH", { url: "http://10.1.2.3/" })).status).toBe(400);
    await sql(`UPDATE scheduler."Endpoint" SET url = 'http://192.168.7.7/' WHERE id = $1`, [ep.id]);
    await makeDue(job.id);
    await cycle([job.id]);
    const [task] = await tasksOf(job.id);
    expect(task).toMatchObject({ status: "FAILED", httpStatus: null });
    expect(task.error).toMatch(/^refused: /);
  });

  it("backs off 1, 5, 15, 60 minutes and pauses after 5 failures in a row, saying why", async () => {
    const u = await createUser();
    const { job, path } = await dueJob(u, { definitionNL: "every minute" });
    await target.rules([{ match: path, status: 500 }]);
    for (let n = 1; n <= 5; n++) {
      await makeDue(job.id);
      await cycle([job.id]);
      const row = await jobRow(job.id);
      expect(row.consecutiveFailures).toBe(n);
      if (n < 5) {
        const gap = Date.parse(row.nextRunAt) - Date.parse(row.lastRunAt);
        const backoff = BACKOFF_MINUTES[n - 1]! * 60_000;
        expect(gap).toBeGreaterThanOrEqual(backoff - 1000);
        expect(gap).toBeLessThan(backoff + 61_000);
        expect(row.status).toBe("ACTIVE");
      } else {
        expect(row.status).toBe("PAUSED");
      }
    }
    const system = (await messagesOf(job.id)).filter((m: any) => m.role === "system");
    expect(system.length).toBe(1);
    expect(system[0].content).toMatch(/Paused after 5 failed runs in a row.*answered HTTP 500/);
    expect(system[0].metadata).toMatchObject({ reason: "consecutive-failures", failures: 5 });
    // paused: the cron leaves it alone
    await makeDue(job.id);
    expect((await runCron()).some((m) => m.jobId === job.id)).toBe(false);
    expect((await ok(await call(u, `/jobs/${job.id}/resume`, "POST"))).consecutiveFailures).toBe(0);
  });

  it("a success ends the failure streak", async () => {
    const u = await createUser();
    const { job, path } = await dueJob(u);
    await target.rules([{ match: path, status: 503, times: 2 }]);
    for (let n = 1; n <= 3; n++) {
      await makeDue(job.id);
      await cycle([job.id]);
    }
    expect((await jobRow(job.id)).consecutiveFailures).toBe(0);
    expect((await tasksOf(job.id)).map((t: any) => t.status)).toEqual(["FAILED", "FAILED", "SUCCEEDED"]);
  });

  it("with an LLM step: the model gets the definition, context and results; its answer and token usage are recorded", async () => {
    const u = await createUser();
    const { job, path } = await dueJob(u, { llmModel: "fake/sched-llm", definitionNL: "every day at 07:30" });
    await ok(await call(u, `/jobs/${job.id}/context/audience`, "PUT", { value: "the night shift" }), 201);
    await ok(await call(u, `/jobs/${job.id}/context/audience`, "PUT", { value: "the morning shift" }), 200);
    await chatApi.rules([{ match: "fake/sched-llm", content: "All endpoints answered; nothing to report." }]);
    await cycle([job.id]);
    const calls = await chatApi.calls();
    expect(calls.count).toBe(1);
    const prompt = calls.calls[0].messages.map((m: any) => m.content).join("\n");
    expect(prompt).toContain("every day at 07:30");
    expect(prompt).toContain("audience: the morning shift");
    expect(prompt).toContain(path);
    expect(calls.calls[0].authorization).toBe("Bearer sk-scheduler-test");
    const [message] = await messagesOf(job.id);
    expect(message).toMatchObject({ role: "assistant", content: "All endpoints answered; nothing to report." });
    const after = await jobRow(job.id);
    expect(after.totalTokens).toBeGreaterThan(0);
    expect(after.totalTokens).toBe(message.metadata.totalTokens);
    const usage = await ok(await call(u, `/usage?jobId=${job.id}`));
    expect(usage.days).toEqual([
      {
        jobId: job.id,
        day: new Date().toISOString().slice(0, 10),
        runs: 1,
        inputTokens: after.inputTokens,
        outputTokens: after.outputTokens,
        totalTokens: after.totalTokens,
      },
    ]);
    expect(usage.jobs).toEqual([
      { jobId: job.id, runs: 1, inputTokens: after.inputTokens, outputTokens: after.outputTokens, totalTokens: after.totalTokens },
    ]);
  });

  it("a failing LLM step fails the run", async () => {
    const u = await createUser();
    const { job } = await dueJob(u, { llmModel: "fake/sched-llm-down" });
    await chatApi.rules([{ match: "fake/sched-llm-down", status: 500 }]);
    await cycle([job.id]);
    expect((await jobRow(job.id)).consecutiveFailures).toBe(1);
    expect((await messagesOf(job.id))[0].content).toMatch(/LLM step: .*HTTP 500/);
  });
});

describe("run now", () => {
  it("queues a run through the real queue; a second request while it holds the lease answers 409", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "every monday at 8am" });
    const path = `/t/${uid("now")}`;
    await addEndpoint(u, job.id, { url: target.url(path), timeoutMs: 3000 });
    await target.rules([{ match: path, delayMs: 300 }]);
    const queued = await ok(await call(u, `/jobs/${job.id}/run`, "POST"), 202);
    expect(queued.jobId).toBe(job.id);
    expect((await call(u, `/jobs/${job.id}/run`, "POST")).status).toBe(409);
    await waitFor(async () => (await tasksOf(job.id)).some((t: any) => t.status === "SUCCEEDED"));
    await waitFor(async () => (await jobRow(job.id)).leaseOwner === null);
    expect((await target.calls(path)).count).toBe(1);
    expect((await jobRow(job.id)).status).toBe("PAUSED");
  });

  it("when the queue refuses, 503 with Retry-After and the lease is given back", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    const JOBS = {
      send: async () => {
        throw new Error("down");
      },
      sendBatch: async () => {
        throw new Error("down");
      },
    } as unknown as Queue;
    const res = await callWith({ JOBS }, `${BASE}/jobs/${job.id}/run`, { method: "POST", headers: u.headers });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect((await jobRow(job.id)).leaseOwner).toBeNull();
  });
});

describe("leases and sweeps", () => {
  it("an expired lease is taken over: the old run's message finds nothing to start", async () => {
    const u = await createUser();
    const { job, path } = await dueJob(u);
    const first = (await runCron()).filter((m) => m.jobId === job.id);
    expect(first.length).toBe(1);
    expect((await runCron()).some((m) => m.jobId === job.id)).toBe(false); // leased: not claimed twice
    await sql(`UPDATE scheduler."Job" SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [job.id]);
    const second = (await runCron()).filter((m) => m.jobId === job.id);
    expect(second.length).toBe(1);
    expect(second[0]!.token).not.toBe(first[0]!.token);
    expect(await deliver(first)).toEqual(["skipped"]);
    await deliver(second);
    expect((await target.calls(path)).count).toBe(1);
  });

  it("the five-minute sweep frees expired leases of jobs that are not due", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    await sql(
      `UPDATE scheduler."Job" SET lease_owner = 'dead:run', lease_expires_at = now() - interval '1 minute', locked = true,
      "lockExpiresAt" = now() - interval '1 minute' WHERE id = $1`,
      [job.id],
    );
    await runCron("*/5 * * * *");
    expect(await jobRow(job.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, locked: false, lockExpiresAt: null });
  });

  it("tasks stuck in RUNNING are failed by the five-minute sweep", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    await sql(
      `INSERT INTO scheduler."Task" (id, "jobId", name, status, "startedAt") VALUES
      (gen_random_uuid()::text, $1, 'old', 'RUNNING', now() - interval '1 hour'), (gen_random_uuid()::text, $1, 'young', 'RUNNING', now())`,
      [job.id],
    );
    await runCron("*/5 * * * *");
    const rows = await sql<any>(`SELECT name, status, error FROM scheduler."Task" WHERE "jobId" = $1 ORDER BY name`, [job.id]);
    expect(rows[0]).toMatchObject({ name: "old", status: "FAILED" });
    expect(rows[0].error).toMatch(/did not finish/);
    expect(rows[1]).toMatchObject({ name: "young", status: "RUNNING" });
  });

  it("expired Auth.js sessions and verification tokens are purged nightly", async () => {
    const u = await createUser();
    const live = await createSession(u.id);
    const dead = await createSession(u.id, -60_000);
    const id = uid("ident");
    await sql(
      `INSERT INTO scheduler."verificationToken" (identifier, token, expires) VALUES ($1, 'old', now() - interval '1 hour'), ($1, 'new', now() + interval '1 hour')`,
      [id],
    );
    await runCron("17 3 * * *");
    expect(
      (await sql<any>(`SELECT "sessionToken" FROM scheduler."session" WHERE "userId" = $1`, [u.id])).map((r) => r.sessionToken),
    ).toEqual([live]);
    expect(dead).not.toBe(live);
    expect((await sql<any>(`SELECT token FROM scheduler."verificationToken" WHERE identifier = $1`, [id])).map((r) => r.token)).toEqual([
      "new",
    ]);
  });
});

describe("exactly once", () => {
  it("two overlapping cron runs over 200 due jobs call the target exactly 200 times", async () => {
    const u = await createUser();
    const run = uid("x");
    const ids = (
      await sql<{ id: string }>(
        `INSERT INTO scheduler."Job" (id, "definitionNL", "userId", status, "cronExpression", "nextRunAt")
      SELECT gen_random_uuid()::text, 'every 15 minutes', $1, 'ACTIVE', '*/15 * * * *', now() - interval '1 minute' FROM generate_series(1, 200) RETURNING id`,
        [u.id],
      )
    ).map((r) => r.id);
    await sql(
      `INSERT INTO scheduler."Endpoint" (id, "jobId", name, url, "updatedAt") SELECT gen_random_uuid()::text, id, 'target', $2 || id, now()
      FROM scheduler."Job" WHERE id = ANY($1)`,
      [ids, target.url(`/t/${run}/`)],
    );

    const [a, b] = await Promise.all([runCron(), runCron()]);
    const all = [...a, ...b].filter((m) => ids.includes(m.jobId));
    expect(all.length).toBe(200);
    expect(new Set(all.map((m) => m.jobId)).size).toBe(200);

    const t0 = Date.now();
    const { trips } = await countRoundTrips(() => deliver(all, 20));
    const ms = Date.now() - t0;
    console.log(
      `THROUGHPUT: 200 runs in ${ms} ms at concurrency 20 → ${Math.round(200 / (ms / 60_000))} jobs/minute; ${trips.postgres} Postgres round trips (${trips.postgres / 200} per job)`,
    );
    expect(trips.postgres).toBe(400);
    // at-least-once delivery: every message again
    expect(new Set(await deliver(all, 20))).toEqual(new Set(["skipped"]));

    const calls = await target.calls(`/t/${run}/`);
    expect(calls.count).toBe(200);
    expect(new Set(calls.calls.map((c) => c.path)).size).toBe(200);
    const done = await sql<{ n: string }>(`SELECT count(*) AS n FROM scheduler."Task" WHERE "jobId" = ANY($1) AND status = 'SUCCEEDED'`, [
      ids,
    ]);
    expect(Number(done[0]!.n)).toBe(200);
    const leased = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM scheduler."Job" WHERE id = ANY($1) AND (lease_owner IS NOT NULL OR "nextRunAt" <= now())`,
      [ids],
    );
    expect(Number(leased[0]!.n)).toBe(0);
  });
});

describe("deleting a user", () => {
  it("removes everything they own, and their key and session stop working at once", async () => {
    const u = await createUser();
    const session = await createSession(u.id);
    await ok(await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${session}` } })); // cached
    const { job } = await dueJob(u, { llmModel: "fake/cascade" });
    await ok(await call(u, `/jobs/${job.id}/context/k`, "PUT", { value: "v" }), 201);
    await ok(await call(u, "/api-keys", "POST", { name: "second" }), 201);
    await cycle([job.id]);
    const counts = async () =>
      (
        await sql<Record<string, string>>(
          `SELECT
      (SELECT count(*) FROM scheduler."user" WHERE id = $1) AS users,
      (SELECT count(*) FROM scheduler."ApiKey" WHERE "userId" = $1) AS keys,
      (SELECT count(*) FROM scheduler."session" WHERE "userId" = $1) AS sessions,
      (SELECT count(*) FROM scheduler."Job" WHERE "userId" = $1) AS jobs,
      (SELECT count(*) FROM scheduler."Endpoint" WHERE "jobId" = $2) AS endpoints,
      (SELECT count(*) FROM scheduler."ContextEntry" WHERE "jobId" = $2) AS context,
      (SELECT count(*) FROM scheduler."Message" WHERE "jobId" = $2) AS messages,
      (SELECT count(*) FROM scheduler."Task" WHERE "jobId" = $2) AS tasks,
      (SELECT count(*) FROM scheduler."JobUsage" WHERE "jobId" = $2) AS usage`,
          [u.id, job.id],
        )
      )[0]!;
    expect(Object.values(await counts()).every((n) => Number(n) > 0)).toBe(true);
    expect((await api(`${BASE}/users/${u.id}`, { method: "DELETE", headers: adminHeaders })).status).toBe(204);
    expect(Object.values(await counts()).map(Number)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await call(u, "/me")).status).toBe(401);
    expect((await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${session}` } })).status).toBe(401);
    expect((await api(`${BASE}/users/${u.id}`, { method: "DELETE", headers: adminHeaders })).status).toBe(404);
  });
});
