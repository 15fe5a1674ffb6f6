import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, sql } from "../helpers";
import { chatApi, jsonRequest, seedAgents, setSetting, waitFor } from "./helpers";
import { client, uniq } from "../helpers";

const SEO = { title: "Lace for Spring", description: "Our lace gowns for a spring wedding.", keywords: ["lace", "spring wedding"] };
const session = (id: string) => client.GET("/v1/blog/sessions/{id}", { params: { path: { id } } }).then((r) => r.data as any);

async function cachedDresses(n: number) {
  const ids = Array.from({ length: n }, () => uniq("sd"));
  for (const id of ids) {
    await sql(
      `INSERT INTO blog.cached_dresses (external_id, name, designer, category, tags, expires_at) VALUES ($1, $2, 'Vera', 'A-line', '["lace"]', now() + interval '1 day')`,
      [id, `Gown ${id}`],
    );
  }
  return ids;
}

async function draft(body: Record<string, unknown> = {}) {
  const { data, response } = await client.POST("/v1/blog/sessions", { body });
  expect(response.status).toBe(201);
  return data as any;
}

/** Every pipeline agent answers well, the reviewer approves. */
const happyRules = (tag: string) => [
  { match: "fake/blog-writer", content: `# Draft ${tag}` },
  { match: "fake/blog-editor", content: `# Edited ${tag}` },
  { match: "fake/seo-specialist", json: SEO },
  { match: "fake/senior-editor", content: `# Lace for Spring\n\nFinal ${tag}` },
  { match: "fake/blog-reviewer", json: { approved: true, feedback: "Ready." } },
];

beforeAll(() => seedAgents());
beforeEach(() => chatApi.reset());

describe("blog sessions", () => {
  it("creates a draft (201 + Location) and reads it back", async () => {
    const res = await api("/v1/blog/sessions", { method: "POST" });
    expect(res.status).toBe(201);
    const s = await res.json<any>();
    expect(res.headers.get("location")).toBe(`/v1/blog/sessions/${s.id}`);
    expect(s).toMatchObject({
      status: "draft",
      storeUrl: null,
      selectedDressIds: [],
      agentLog: [],
      generatedBlog: null,
      seoMetadata: null,
    });
    expect(await session(s.id)).toEqual(s);
    expect((await sql(`SELECT status FROM blog.blog_sessions WHERE id = $1`, [s.id]))[0]).toEqual({ status: "draft" });
  });

  it("changes a draft: store URL normalised, brand voice and dress ids stored as JSON", async () => {
    const ids = await cachedDresses(2);
    const s = await draft();
    const res = await api(
      `/v1/blog/sessions/${s.id}`,
      jsonRequest(
        {
          storeUrl: "Bridal.Example/?utm_source=ad",
          brandVoice: { tone: "warm" },
          selectedDressIds: [ids[0], ids[1], ids[0]],
          additionalInstructions: "Mention spring.",
        },
        "PATCH",
      ),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      storeUrl: "https://bridal.example",
      brandVoice: { tone: "warm" },
      selectedDressIds: ids,
      additionalInstructions: "Mention spring.",
    });
    const [row] = await sql<any>(`SELECT store_url, brand_voice, selected_dress_ids FROM blog.blog_sessions WHERE id = $1`, [s.id]);
    expect(row).toEqual({ store_url: "https://bridal.example", brand_voice: '{"tone":"warm"}', selected_dress_ids: JSON.stringify(ids) });
  });

  it("refuses dress ids that are not cached (422 naming them), on create and on change", async () => {
    const [known] = await cachedDresses(1);
    const unknown = uniq("missing");
    const res = await api("/v1/blog/sessions", jsonRequest({ selectedDressIds: [known, unknown] }));
    expect(res.status).toBe(422);
    expect((await res.json<any>()).errors).toEqual([{ path: "body.selectedDressIds.1", message: expect.stringContaining(unknown) }]);
    expect(await sql(`SELECT 1 FROM blog.blog_sessions WHERE selected_dress_ids LIKE $1`, [`%${unknown}%`])).toEqual([]);

    const s = await draft({ selectedDressIds: [known] });
    const patch = await api(`/v1/blog/sessions/${s.id}`, jsonRequest({ selectedDressIds: [unknown] }, "PATCH"));
    expect(patch.status).toBe(422);
    expect((await session(s.id)).selectedDressIds).toEqual([known]);
  });

  it("answers 400 for a malformed id or an empty change, 404 for an unknown session", async () => {
    expect((await api("/v1/blog/sessions/not-a-uuid")).status).toBe(400);
    expect((await api(`/v1/blog/sessions/${crypto.randomUUID()}`)).status).toBe(404);
    const s = await draft();
    expect((await api(`/v1/blog/sessions/${s.id}`, jsonRequest({}, "PATCH"))).status).toBe(400);
    expect((await api(`/v1/blog/sessions/${s.id}`, jsonRequest({ storeUrl: "ftp://x.example" }, "PATCH"))).status).toBe(400);
    expect((await api(`/v1/blog/sessions/${crypto.randomUUID()}`, jsonRequest({ additionalInstructions: "x" }, "PATCH"))).status).toBe(404);
  });

  it("will not generate without a dress (409), nor without an API key (503, the draft stays a draft)", async () => {
    const empty = await draft();
    const noDress = await api(`/v1/blog/sessions/${empty.id}/generate`, { method: "POST" });
    expect(noDress.status).toBe(409);
    expect((await noDress.json<any>()).detail).toMatch(/dress/);

    const s = await draft({ selectedDressIds: await cachedDresses(1) });
    await setSetting("openrouter_api_key", "");
    try {
      const res = await api(`/v1/blog/sessions/${s.id}/generate`, { method: "POST" });
      expect(res.status).toBe(503);
      expect((await res.json<any>()).detail).toMatch(/openrouter_api_key/);
    } finally {
      await setSetting("openrouter_api_key", "sk-test-key");
    }
    expect((await session(s.id)).status).toBe("draft");
  });
});

describe("POST /v1/blog/sessions/{id}/generate: the pipeline", () => {
  it("runs the five agents in order, each with its own model config, logs each pass, and completes", async () => {
    const ids = await cachedDresses(2);
    const s = await draft({
      storeUrl: "https://lace.example",
      brandVoice: { tone: "romantic" },
      selectedDressIds: ids,
      additionalInstructions: "Spring theme.",
    });
    const tag = uniq("post");
    // The SEO pass is slow, so the log can be seen growing while the session is generating.
    await chatApi.rules(happyRules(tag).map((r) => (r.match === "fake/seo-specialist" ? { ...r, delayMs: 600 } : r)));

    const res = await api(`/v1/blog/sessions/${s.id}/generate`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe(`/v1/blog/sessions/${s.id}`);
    expect((await res.json<any>()).status).toBe("generating");

    const midway = await waitFor(async () => {
      const x = await session(s.id);
      return x.agentLog.length === 2 && x;
    });
    expect(midway.status).toBe("generating");
    expect(midway.agentLog.map((e: any) => e.agent)).toEqual(["blog-writer", "blog-editor"]);

    const done = await waitFor(async () => {
      const x = await session(s.id);
      return x.status !== "generating" && x;
    });
    expect(done.status).toBe("completed");
    expect(done.generatedBlog).toBe(`# Lace for Spring\n\nFinal ${tag}`);
    expect(done.seoMetadata).toEqual(SEO);
    expect(done.agentLog.map((e: any) => [e.agent, e.model, e.outcome])).toEqual([
      ["blog-writer", "fake/blog-writer", "ok"],
      ["blog-editor", "fake/blog-editor", "ok"],
      ["seo-specialist", "fake/seo-specialist", "ok"],
      ["senior-editor", "fake/senior-editor", "ok"],
      ["blog-reviewer", "fake/blog-reviewer", "ok"],
    ]);
    for (const e of done.agentLog) {
      expect(e.totalTokens).toBe(e.promptTokens + e.completionTokens);
      expect(e.totalTokens).toBeGreaterThan(0);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(done.agentLog[2].durationMs).toBeGreaterThanOrEqual(600);

    const [row] = await sql<any>(`SELECT status, generated_blog, seo_metadata, agent_log FROM blog.blog_sessions WHERE id = $1`, [s.id]);
    expect(row.status).toBe("completed");
    expect(JSON.parse(row.seo_metadata)).toEqual(SEO);
    expect(JSON.parse(row.agent_log)).toHaveLength(5);

    const { calls } = await chatApi.calls();
    expect(calls.map((c: any) => [c.model, c.temperature, c.max_tokens])).toEqual([
      ["fake/blog-writer", 0.4, 1001],
      ["fake/blog-editor", 0.5, 1002],
      ["fake/seo-specialist", 0.6, 1003],
      ["fake/senior-editor", 0.7, 1004],
      ["fake/blog-reviewer", 0.8, 1005],
    ]);
    const writerPrompt = JSON.stringify(calls[0].messages);
    for (const text of [ids[0], "romantic", "Spring theme."]) expect(writerPrompt).toContain(text);
    expect(JSON.stringify(calls[1].messages)).toContain(`# Draft ${tag}`);
    expect(JSON.stringify(calls[3].messages)).toContain(`# Edited ${tag}`);

    expect((await api(`/v1/blog/sessions/${s.id}/generate`, { method: "POST" })).status).toBe(409);
    expect((await api(`/v1/blog/sessions/${s.id}`, jsonRequest({ additionalInstructions: "more" }, "PATCH"))).status).toBe(409);
  });

  it("uses the cached brand voice of the store when the session has none", async () => {
    const url = `https://${uniq("voice")}.example`;
    await sql(
      `INSERT INTO blog.brand_voice_cache (url, analysis_result, expires_at) VALUES ($1, '{"tone":"whimsical"}', now() + interval '1 day')`,
      [url],
    );
    const s = await draft({ storeUrl: url, selectedDressIds: await cachedDresses(1) });
    await chatApi.rules(happyRules("v"));
    await api(`/v1/blog/sessions/${s.id}/generate`, { method: "POST" });
    await waitFor(async () => (await session(s.id)).status === "completed");
    expect(JSON.stringify((await chatApi.calls()).calls[0].messages)).toContain("whimsical");
  });

  it.each([
    ["an agent's API call fails", "fake/blog-editor", { status: 500 }, "blog-editor", "error", /HTTP 500/],
    ["the SEO answer is not the metadata", "fake/seo-specialist", { content: "Title: great" }, "seo-specialist", "error", /not JSON/],
    [
      "the reviewer rejects the post",
      "fake/blog-reviewer",
      { json: { approved: false, feedback: "Off brand." } },
      "blog-reviewer",
      "rejected",
      /Off brand/,
    ],
  ])("fails the session when %s, with the reason in agent_log", async (_what, model, reply, agent, outcome, reason) => {
    const s = await draft({ selectedDressIds: await cachedDresses(1) });
    await chatApi.rules([{ match: model, ...reply }, ...happyRules("f")]);
    expect((await api(`/v1/blog/sessions/${s.id}/generate`, { method: "POST" })).status).toBe(202);
    const done = await waitFor(async () => {
      const x = await session(s.id);
      return x.status !== "generating" && x;
    });
    expect(done.status).toBe("failed");
    expect(done.generatedBlog).toBeNull();
    const last = done.agentLog.at(-1);
    expect(last).toMatchObject({ agent, outcome });
    expect(last.error).toMatch(reason);
    const order = ["blog-writer", "blog-editor", "seo-specialist", "senior-editor", "blog-reviewer"];
    expect(done.agentLog.map((e: any) => e.agent)).toEqual(order.slice(0, order.indexOf(agent) + 1));
    expect((await chatApi.calls()).count).toBe(order.indexOf(agent) + 1);
  });
});
