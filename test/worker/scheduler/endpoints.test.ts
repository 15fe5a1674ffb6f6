/** Endpoints (write-only secrets, encrypted at rest and bound to their row) and context entries (PUT upserts). */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { addEndpoint, BASE, call, callWith, createJob, createUser, deliver, makeDue, ok, quiesce, runCron, target, uid } from "./helpers";

beforeEach(() => quiesce());

describe("endpoints", () => {
  it("CRUD with defaults; secrets can be replaced and cleared but are never returned", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    const ep = await addEndpoint(u, job.id, { url: "https://example.com/a" });
    expect(ep).toMatchObject({ method: "GET", timeoutMs: 5000, headers: {}, body: null, hasBearerToken: false, secretHeaderNames: [] });
    const withSecret = await ok(
      await call(u, `/jobs/${job.id}/endpoints/${ep.id}`, "PATCH", { bearerToken: "first", secretHeaders: { "x-b": "2", "x-a": "1" } }),
    );
    expect(withSecret).toMatchObject({ hasBearerToken: true, secretHeaderNames: ["x-a", "x-b"] });
    const [c1] = await sql<any>(`SELECT "bearerToken" FROM scheduler."Endpoint" WHERE id = $1`, [ep.id]);
    await ok(await call(u, `/jobs/${job.id}/endpoints/${ep.id}`, "PATCH", { bearerToken: "second" }));
    const [c2] = await sql<any>(`SELECT "bearerToken", "secretHeaderNames" FROM scheduler."Endpoint" WHERE id = $1`, [ep.id]);
    expect(c2.bearerToken).not.toBe(c1.bearerToken);
    expect(c2.secretHeaderNames).toEqual(["x-a", "x-b"]); // untouched when not given
    const cleared = await ok(
      await call(u, `/jobs/${job.id}/endpoints/${ep.id}`, "PATCH", { bearerToken: null, secretHeaders: null, name: "renamed" }),
    );
    expect(cleared).toMatchObject({ hasBearerToken: false, secretHeaderNames: [], name: "renamed" });
    const list = await ok(await call(u, `/jobs/${job.id}/endpoints`));
    expect(list.items.map((e: any) => e.id)).toEqual([ep.id]);
    expect((await ok(await call(u, `/jobs/${job.id}/endpoints/${ep.id}`))).name).toBe("renamed");
    expect((await call(u, `/jobs/${job.id}/endpoints/${ep.id}`, "DELETE")).status).toBe(204);
    expect((await call(u, `/jobs/${job.id}/endpoints/${ep.id}`)).status).toBe(404);
  });

  it("rejects bad input with 400: scheme, method, timeout, header names", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    for (const body of [
      { name: "x", url: "ftp://example.com" },
      { name: "x", url: "https://example.com", method: "FETCH" },
      { name: "x", url: "https://example.com", timeoutMs: 10 },
      { name: "x", url: "https://example.com", headers: { "bad header": "1" } },
      { name: "x", url: "https://user:pw@example.com/" },
    ])
      expect((await call(u, `/jobs/${job.id}/endpoints`, "POST", body)).status, JSON.stringify(body)).toBe(400);
  });

  it("without SCHEDULER_SECRET_KEY a secret cannot be stored: 503, nothing written", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    const res = await callWith({ SCHEDULER_SECRET_KEY: undefined } as never, `${BASE}/jobs/${job.id}/endpoints`, {
      method: "POST",
      headers: u.headers,
      body: JSON.stringify({ name: "x", url: "https://example.com", bearerToken: "t" }),
    });
    expect(res.status).toBe(503);
    expect(await sql(`SELECT id FROM scheduler."Endpoint" WHERE "jobId" = $1`, [job.id])).toEqual([]);
  });

  it("a ciphertext copied to another endpoint does not open there: the call fails without sending it", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly", status: "ACTIVE" });
    const path = `/t/${uid("copy")}`;
    const a = await addEndpoint(u, job.id, { url: "https://example.com/a", bearerToken: "only-for-a" });
    const b = await addEndpoint(u, job.id, { url: target.url(path) });
    await sql(
      `UPDATE scheduler."Endpoint" SET "bearerToken" = (SELECT "bearerToken" FROM scheduler."Endpoint" WHERE id = $1) WHERE id = $2`,
      [a.id, b.id],
    );
    await sql(`DELETE FROM scheduler."Endpoint" WHERE id = $1`, [a.id]);
    await makeDue(job.id);
    await deliver((await runCron()).filter((m) => m.jobId === job.id));
    const [task] = await sql<any>(`SELECT status, error FROM scheduler."Task" WHERE "jobId" = $1`, [job.id]);
    expect(task.status).toBe("FAILED");
    expect(task.error).toMatch(/secrets could not be opened/);
    expect((await target.calls(path)).count).toBe(0);
  });
});

describe("context entries", () => {
  it("PUT creates (201) then replaces (200); listed by key; DELETE removes", async () => {
    const u = await createUser();
    const job = await createJob(u, { definitionNL: "hourly" });
    expect((await ok(await call(u, `/jobs/${job.id}/context/zeta`, "PUT", { value: "1" }), 201)).value).toBe("1");
    await ok(await call(u, `/jobs/${job.id}/context/alpha`, "PUT", { value: "a" }), 201);
    const replaced = await ok(await call(u, `/jobs/${job.id}/context/zeta`, "PUT", { value: "2" }), 200);
    expect(replaced).toMatchObject({ key: "zeta", value: "2" });
    const list = await ok(await call(u, `/jobs/${job.id}/context`));
    expect(list.items.map((e: any) => [e.key, e.value])).toEqual([
      ["alpha", "a"],
      ["zeta", "2"],
    ]);
    expect(await sql(`SELECT count(*)::int AS n FROM scheduler."ContextEntry" WHERE "jobId" = $1`, [job.id])).toEqual([{ n: 2 }]);
    expect((await call(u, `/jobs/${job.id}/context/zeta`, "DELETE")).status).toBe(204);
    expect((await call(u, `/jobs/${job.id}/context/zeta`, "DELETE")).status).toBe(404);
    expect((await call(u, `/jobs/${job.id}/context/k`, "PUT", {})).status).toBe(400);
  });
});
