/** Admin list and delete of blog sessions, and retrying a failed generation. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, sql } from "../helpers";
import { uniq } from "../helpers";
import { adminHeaders, chatApi, seedAgents, setSetting, waitFor } from "./helpers";

const adminGet = (query: string) => api(`/v1/blog/admin/sessions${query}`, { headers: adminHeaders });

async function insertSession(status: string, extra = "") {
  const dress = uniq("rd");
  await sql(`INSERT INTO blog.cached_dresses (external_id, name, expires_at) VALUES ($1, $1, now() + interval '1 day')`, [dress]);
  const [row] = await sql<{ id: string }>(
    `INSERT INTO blog.blog_sessions (status, selected_dress_ids, agent_log${extra ? ", generated_blog" : ""}) VALUES ($1, $2, $3${extra ? ", $4" : ""}) RETURNING id`,
    [
      status,
      JSON.stringify([dress]),
      JSON.stringify([{ agent: "blog-writer", outcome: "error", error: "model down" }]),
      ...(extra ? [extra] : []),
    ],
  );
  return row!.id;
}
const rowOf = async (id: string) =>
  (
    await sql<{ status: string; agent_log: string; generated_blog: string | null; lease_owner: string | null }>(
      `SELECT status, agent_log, generated_blog, lease_owner FROM blog.blog_sessions WHERE id = $1`,
      [id],
    )
  )[0];

const SEO = { title: "T", description: "D", keywords: ["k"] };
const rules = [
  { match: "fake/blog-writer", content: "# Draft" },
  { match: "fake/blog-editor", content: "# Edited" },
  { match: "fake/seo-specialist", json: SEO },
  { match: "fake/senior-editor", content: "# Final" },
  { match: "fake/blog-reviewer", json: { approved: true, feedback: "ok" } },
];

beforeAll(() => seedAgents());
beforeEach(async () => {
  await chatApi.reset();
  await chatApi.rules(rules);
});

describe("GET /v1/blog/admin/sessions", () => {
  it("pages newest first by cursor; a session created meanwhile neither shifts nor repeats the next page", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await insertSession("draft"));
    const [oldest, middle, newest] = ids;

    const first = await adminGet("?limit=2");
    expect(first.status).toBe(200);
    const p1 = await first.json<any>();
    expect(p1.items.map((s: any) => s.id)).toEqual([newest, middle]);
    expect(p1.items[0]).toMatchObject({ status: "draft", agentLog: [expect.objectContaining({ agent: "blog-writer" })] });
    expect(p1.nextCursor).toEqual(expect.any(String));

    await insertSession("draft");
    const p2 = await (await adminGet(`?limit=2&cursor=${p1.nextCursor}`)).json<any>();
    expect(p2.items[0].id).toBe(oldest);
    expect(p2.items.map((s: any) => s.id)).not.toContain(newest);
    expect(new Date(p2.items[1]?.createdAt ?? 0).getTime()).toBeLessThanOrEqual(new Date(p2.items[0].createdAt).getTime());
  });

  it("filters by status, ends with a null cursor, refuses a forged cursor (400) and callers without the admin token", async () => {
    const failed = await insertSession("failed");
    const page = await (await adminGet("?status=failed&limit=100")).json<any>();
    expect(page.items.map((s: any) => s.id)).toContain(failed);
    expect(page.items.every((s: any) => s.status === "failed")).toBe(true);
    const count = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM blog.blog_sessions WHERE status = 'failed'`))[0]!.n;
    if (count <= 100) expect(page.nextCursor).toBeNull();

    const forged = await adminGet(`?cursor=${btoa("not a cursor")}`);
    expect(forged.status).toBe(400);
    expect((await forged.json<any>()).errors).toEqual([{ path: "query.cursor", message: "not a cursor of this API" }]);
    expect((await adminGet("?limit=0")).status).toBe(400);
    expect((await api("/v1/blog/admin/sessions")).status).toBe(401);
  });
});

describe("DELETE /v1/blog/admin/sessions/{id}", () => {
  it("deletes a session (204, the row is gone), then 404; 400 for a malformed id", async () => {
    const id = await insertSession("completed", "# Post");
    expect((await api(`/v1/blog/admin/sessions/${id}`, { method: "DELETE", headers: adminHeaders })).status).toBe(204);
    expect(await rowOf(id)).toBeUndefined();
    expect((await api(`/v1/blog/sessions/${id}`)).status).toBe(404);
    expect((await api(`/v1/blog/admin/sessions/${id}`, { method: "DELETE", headers: adminHeaders })).status).toBe(404);
    expect((await api("/v1/blog/admin/sessions/nope", { method: "DELETE", headers: adminHeaders })).status).toBe(400);
    expect((await api(`/v1/blog/admin/sessions/${crypto.randomUUID()}`, { method: "DELETE" })).status).toBe(401);
  });
});

describe("POST /v1/blog/sessions/{id}/retry", () => {
  it("re-queues a failed session: 202, then it completes with a fresh log of five passes", async () => {
    const id = await insertSession("failed");
    const res = await api(`/v1/blog/sessions/${id}/retry`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe(`/v1/blog/sessions/${id}`);
    expect(await res.json()).toMatchObject({ id, status: "generating", agentLog: [] });
    const done = await waitFor(async () => {
      const r = await rowOf(id);
      return r?.status === "completed" && r;
    });
    expect(JSON.parse(done.agent_log).map((e: any) => e.agent)).toEqual([
      "blog-writer",
      "blog-editor",
      "seo-specialist",
      "senior-editor",
      "blog-reviewer",
    ]);
    expect(done).toMatchObject({ generated_blog: "# Final", lease_owner: null });
    expect((await chatApi.calls()).count).toBe(5);
  });

  it("only a failed session may be retried: 409 for draft, generating and completed, 404 for an unknown id", async () => {
    for (const status of ["draft", "generating", "completed"]) {
      const id = await insertSession(status);
      const res = await api(`/v1/blog/sessions/${id}/retry`, { method: "POST" });
      expect(res.status, status).toBe(409);
      expect((await rowOf(id))!.status).toBe(status);
    }
    expect((await api(`/v1/blog/sessions/${crypto.randomUUID()}/retry`, { method: "POST" })).status).toBe(404);
    expect((await chatApi.calls()).count).toBe(0);
  });

  it("without an API key: 503 and the session stays failed with its log", async () => {
    const id = await insertSession("failed");
    await setSetting("openrouter_api_key", "");
    try {
      expect((await api(`/v1/blog/sessions/${id}/retry`, { method: "POST" })).status).toBe(503);
      const row = (await rowOf(id))!;
      expect(row.status).toBe("failed");
      expect(JSON.parse(row.agent_log)).toHaveLength(1);
    } finally {
      await setSetting("openrouter_api_key", "sk-test-key");
    }
  });
});
