import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, createClient, createRun, createUser, fieldPaths, json, problem, type TestUser, upsertSkill } from "./helpers";
import { uniq } from "../helpers";

const statuses = ["queued", "running", "completed", "failed", "cancelled"] as const;
type Status = (typeof statuses)[number];

// The issue's lifecycle: queued → running → completed | failed; queued | running → cancelled.
const actions: Record<string, { from: Status[]; to: Status; body?: Record<string, unknown> }> = {
  start: { from: ["queued"], to: "running" },
  complete: { from: ["running"], to: "completed", body: { tokensInput: 1200, tokensOutput: 340 } },
  fail: { from: ["running"], to: "failed", body: { errorMessage: "model timed out" } },
  cancel: { from: ["queued", "running"], to: "cancelled" },
};

describe("marketing runs", () => {
  let ana: TestUser;
  let bob: TestUser;
  const skill = uniq("run-skill");
  const other = uniq("run-other");
  beforeAll(async () => {
    ana = await createUser();
    bob = await createUser();
    await upsertSkill(skill);
    await upsertSkill(other);
  });

  it("creates a queued run of a skill by name, with one of the caller's clients (201 + Location)", async () => {
    const client = await createClient(ana, uniq("Run Client"));
    const res = await call("POST", "/runs", {
      token: ana.key,
      body: { skill, clientId: client.id, userMessage: "Write a homepage", metadata: { channel: "web" } },
    });
    const run = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/runs/${run.id}`);
    expect(run).toMatchObject({
      skill,
      clientId: client.id,
      status: "queued",
      userMessage: "Write a homepage",
      metadata: { channel: "web" },
      startedAt: null,
      completedAt: null,
      outputs: [],
    });
    const [row] = await sql(
      "SELECT r.user_id, r.client_id, r.status, r.metadata, s.name FROM marketing.runs r JOIN marketing.skills s ON s.id = r.skill_id WHERE r.id = $1",
      [run.id],
    );
    expect(row).toEqual({ user_id: ana.id, client_id: client.id, status: "queued", metadata: '{"channel":"web"}', name: skill });
  });

  it("an unknown skill or someone else's client is 422 naming the field, and nothing is inserted", async () => {
    const before = await sql<{ n: number }>("SELECT count(*)::int AS n FROM marketing.runs WHERE user_id = $1", [ana.id]);
    const noSkill = await problem(await call("POST", "/runs", { token: ana.key, body: { skill: uniq("nope"), userMessage: "x" } }), 422);
    expect(fieldPaths(noSkill)).toEqual(["body.skill"]);
    const bobs = await createClient(bob, uniq("Bob Client"));
    const notMine = await problem(
      await call("POST", "/runs", { token: ana.key, body: { skill, clientId: bobs.id, userMessage: "x" } }),
      422,
    );
    expect(fieldPaths(notMine)).toEqual(["body.clientId"]);
    const missing = await problem(
      await call("POST", "/runs", { token: ana.key, body: { skill, clientId: "00000000-0000-4000-8000-000000000000", userMessage: "x" } }),
      422,
    );
    expect(fieldPaths(missing)).toEqual(["body.clientId"]);
    const after = await sql<{ n: number }>("SELECT count(*)::int AS n FROM marketing.runs WHERE user_id = $1", [ana.id]);
    expect(after).toEqual(before);
  });

  it("bad input is 400 naming each field", async () => {
    const body = await problem(
      await call("POST", "/runs", { token: ana.key, body: { skill: "Bad Name", clientId: "nope", userMessage: "" } }),
      400,
    );
    expect(fieldPaths(body).sort()).toEqual(["body.clientId", "body.skill", "body.userMessage"]);
  });

  it("gets a run with its outputs; another user's run and an unknown id are 404, a malformed id 400", async () => {
    const run = await createRun(ana, skill);
    await sql(
      "INSERT INTO marketing.outputs (run_id, s3_key, title, created_at) VALUES ($1, 'k/2', 'second', now()), ($1, 'k/1', 'first', now() - interval '1 minute')",
      [run.id],
    );
    const got = await json(await call("GET", `/runs/${run.id}`, { token: ana.key }), 200);
    expect(got.outputs.map((o: any) => o.title)).toEqual(["first", "second"]);
    expect(got.outputs[0]).toMatchObject({ runId: run.id, s3Key: "k/1", format: "markdown" });
    await problem(await call("GET", `/runs/${run.id}`, { token: bob.key }), 404);
    await problem(await call("GET", "/runs/00000000-0000-4000-8000-000000000000", { token: ana.key }), 404);
    expect(fieldPaths(await problem(await call("GET", "/runs/xyz", { token: ana.key }), 400))).toEqual(["path.id"]);
  });

  it("lists the caller's runs newest queuedAt first with outputs, filtered by status and skill, paginated", async () => {
    const u = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await createRun(u, i === 3 ? other : skill, { userMessage: `message ${i}` });
      await sql("UPDATE marketing.runs SET queued_at = now() - make_interval(mins => $2) WHERE id = $1", [r.id, 10 - i]);
      ids.push(r.id);
    }
    await sql("UPDATE marketing.runs SET status = 'running' WHERE id = $1", [ids[1]]);
    await sql("INSERT INTO marketing.outputs (run_id, s3_key, title) VALUES ($1, 'k/x', 'out')", [ids[2]]);
    await createRun(bob, skill);

    const all = await json(await call("GET", "/runs", { token: u.key }), 200);
    expect(all.items.map((r: any) => r.id)).toEqual([...ids].reverse());
    expect(all.items[1].outputs.map((o: any) => o.title)).toEqual(["out"]);
    expect(all.items[0].skill).toBe(other);
    expect(all.hasNext).toBe(false);

    const page = await json(await call("GET", "/runs?pageSize=3&page=1", { token: u.key }), 200);
    expect(page.items.map((r: any) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(page.hasNext).toBe(true);
    const page2 = await json(await call("GET", "/runs?pageSize=3&page=2", { token: u.key }), 200);
    expect(page2.items.map((r: any) => r.id)).toEqual([ids[0]]);

    const running = await json(await call("GET", "/runs?status=running", { token: u.key }), 200);
    expect(running.items.map((r: any) => r.id)).toEqual([ids[1]]);
    const ofOther = await json(await call("GET", `/runs?skill=${other}`, { token: u.key }), 200);
    expect(ofOther.items.map((r: any) => r.id)).toEqual([ids[3]]);
    const queuedOfSkill = await json(await call("GET", `/runs?skill=${skill}&status=queued&sortDirection=asc`, { token: u.key }), 200);
    expect(queuedOfSkill.items.map((r: any) => r.id)).toEqual([ids[0], ids[2]]);
    const searched = await json(await call("GET", "/runs?q=MESSAGE 2", { token: u.key }), 200);
    expect(searched.items.map((r: any) => r.id)).toEqual([ids[2]]);
    const bad = await problem(await call("GET", "/runs?status=done&page=0", { token: u.key }), 400);
    expect(fieldPaths(bad).sort()).toEqual(["query.page", "query.status"]);
  });

  describe("status transitions", () => {
    async function runIn(status: Status) {
      const run = await createRun(ana, skill);
      if (status !== "queued") await sql("UPDATE marketing.runs SET status = $2 WHERE id = $1", [run.id, status]);
      return run.id as string;
    }
    const rowOf = async (id: string) =>
      (
        await sql<any>(
          "SELECT status, started_at, completed_at, tokens_input, tokens_output, error_message FROM marketing.runs WHERE id = $1",
          [id],
        )
      )[0];

    for (const [action, rule] of Object.entries(actions)) {
      for (const from of statuses) {
        const legal = rule.from.includes(from);
        it(`${action} from ${from} → ${legal ? `200, ${rule.to}` : "409, unchanged"}`, async () => {
          const id = await runIn(from);
          const before = await rowOf(id);
          const res = await call("POST", `/runs/${id}/${action}`, { token: ana.key, body: rule.body });
          if (!legal) {
            const body = await problem(res, 409);
            expect(body.detail).toContain(from);
            expect(await rowOf(id)).toEqual(before);
            return;
          }
          const run = await json(res, 200);
          expect(run.status).toBe(rule.to);
          const row = await rowOf(id);
          expect(row.status).toBe(rule.to);
          if (action === "start") {
            expect(run.startedAt).not.toBeNull();
            expect(Math.abs(new Date(run.startedAt).getTime() - Date.now())).toBeLessThan(60_000);
            expect(run.completedAt).toBeNull();
          } else {
            expect(run.completedAt).not.toBeNull();
            expect(row.completed_at).not.toBeNull();
          }
          if (action === "complete")
            expect([run.tokensInput, run.tokensOutput, row.tokens_input, row.tokens_output]).toEqual([1200, 340, 1200, 340]);
          if (action === "fail") expect([run.errorMessage, row.error_message]).toEqual(["model timed out", "model timed out"]);
        });
      }
    }

    it("walks queued → running → completed with startedAt ≤ completedAt", async () => {
      const id = await runIn("queued");
      await json(await call("POST", `/runs/${id}/start`, { token: ana.key }), 200);
      const done = await json(
        await call("POST", `/runs/${id}/complete`, { token: ana.key, body: { tokensInput: 1, tokensOutput: 2 } }),
        200,
      );
      expect(new Date(done.startedAt).getTime()).toBeLessThanOrEqual(new Date(done.completedAt).getTime());
      expect(new Date(done.queuedAt).getTime()).toBeLessThanOrEqual(new Date(done.startedAt).getTime());
    });

    it("two concurrent starts: exactly one wins, the other is 409", async () => {
      const id = await runIn("queued");
      const res = await Promise.all([1, 2, 3].map(() => call("POST", `/runs/${id}/start`, { token: ana.key })));
      expect(res.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    });

    it("another user's run is 404 for every transition and stays as it was", async () => {
      const id = await runIn("running");
      for (const [action, rule] of Object.entries(actions)) {
        await problem(await call("POST", `/runs/${id}/${action}`, { token: bob.key, body: rule.body }), 404);
      }
      expect((await rowOf(id)).status).toBe("running");
    });

    it("bodies are validated: complete needs token counts, fail an error message", async () => {
      const id = await runIn("running");
      const c = await problem(await call("POST", `/runs/${id}/complete`, { token: ana.key, body: { tokensInput: -1 } }), 400);
      expect(fieldPaths(c).sort()).toEqual(["body.tokensInput", "body.tokensOutput"]);
      const f = await problem(await call("POST", `/runs/${id}/fail`, { token: ana.key, body: {} }), 400);
      expect(fieldPaths(f)).toEqual(["body.errorMessage"]);
      expect((await rowOf(id)).status).toBe("running");
    });
  });
});
