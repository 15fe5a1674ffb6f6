import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { brandVoiceKey } from "../../../functions/blog/brand-voice.cache";
import { normalizeStoreUrl } from "../../../functions/blog/store-url";
import { providerModelId } from "../../../src/core/chat-completions";
import { api, countRoundTrips, sql } from "../helpers";
import { callWith, chatApi, jsonRequest, seedAgents, setSetting } from "./helpers";
import { redis, uniq } from "../helpers";

const voice = (tone: string) => ({
  tone,
  personality: ["romantic"],
  audience: "brides-to-be",
  vocabulary: ["timeless"],
  avoid: ["cheap"],
  summary: `A ${tone} voice.`,
});
const analyse = (url: string) => api("/v1/blog/brand-voice", jsonRequest({ url }));
const host = () => `${uniq("store")}.example`;

beforeAll(() => seedAgents());
beforeEach(() => chatApi.reset());

describe("store URL normalisation", () => {
  it.each([
    ["HTTP://Bridal.Example/", "https://bridal.example"],
    ["bridal.example", "https://bridal.example"],
    ["https://bridal.example:443/shop/?utm_source=x&b=2&a=1&fbclid=y#top", "https://bridal.example/shop"],
    ["https://Bridal.example/?x=1", "https://bridal.example"],
    ["http://bridal.example:80/Shop/?page=2", "https://bridal.example/Shop"],
    ["https://user:pass@bridal.example./", "https://bridal.example"],
    ["https://bridal.example:8443/Shop//", "https://bridal.example:8443/Shop"],
  ])("%s → %s", (input, out) => {
    expect(normalizeStoreUrl(input)).toBe(out);
  });

  it.each(["ftp://bridal.example", "not a url", "https://localhost", "javascript:alert(1)"])("rejects %s", (input) => {
    expect(normalizeStoreUrl(input)).toBeNull();
  });
});

describe("model ids per provider", () => {
  it.each([
    ["https://openrouter.ai/api/v1", "openrouter/anthropic/claude-3.5-sonnet", undefined, "anthropic/claude-3.5-sonnet"],
    ["https://openrouter.ai/api/v1", "anthropic/claude-3.5-sonnet", undefined, "anthropic/claude-3.5-sonnet"],
    ["https://api.openai.com/v1", "openrouter/anthropic/claude-3.5-sonnet", undefined, "openrouter/anthropic/claude-3.5-sonnet"],
    ["https://api.openai.com/v1", "openai/gpt-4o", "openrouter.ai=openrouter/,api.openai.com=openai/|openrouter/openai/", "gpt-4o"],
    ["https://api.openai.com/v1", "openrouter/openai/gpt-4o", "api.openai.com=openai/|openrouter/openai/", "gpt-4o"],
    ["https://openrouter.ai/api/v1", "openrouter/", undefined, "openrouter/"],
  ])("%s: %s (map %s) → %s", (base, id, map, out) => {
    expect(providerModelId(base, id, map)).toBe(out);
  });

  it("sends the seed's Mastra-style id as the provider expects it (asserted at the fake), and unchanged for a provider without a rule", async () => {
    await sql(`UPDATE blog.agent_model_configs SET model_id = 'openrouter/anthropic/claude-3.5-sonnet' WHERE agent_id = 'brand-voice-analyzer'`);
    try {
      const a = host();
      const b = host();
      await chatApi.rules([{ json: voice("warm") }]);
      expect((await analyse(a)).status).toBe(200);
      const other = await callWith({ LLM_MODEL_PREFIXES: "openrouter.ai=openrouter/" }, "/v1/blog/brand-voice", jsonRequest({ url: b }));
      expect(other.status).toBe(200);
      const { calls } = await chatApi.calls();
      expect(calls.map((c) => c.model)).toEqual(["anthropic/claude-3.5-sonnet", "openrouter/anthropic/claude-3.5-sonnet"]);
    } finally {
      await seedAgents();
    }
  });
});

describe("POST /v1/blog/brand-voice", () => {
  it("answers 503 with a clear detail when no API key is configured, without calling the model", async () => {
    await setSetting("openrouter_api_key", "");
    try {
      const res = await analyse(host());
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect((await res.json<any>()).detail).toMatch(/openrouter_api_key/);
      expect((await chatApi.calls()).count).toBe(0);
    } finally {
      await setSetting("openrouter_api_key", "sk-test-key");
    }
  });

  it("analyses a new store with the agent's model config and caches it for 7 days; spellings of one store hit one row", async () => {
    const h = host();
    await chatApi.rules([{ match: h, json: voice("warm") }]);
    const res = await analyse(`HTTP://${h.toUpperCase()}/?utm_campaign=spring`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBe("origin");
    const body = await res.json<any>();
    expect(body).toMatchObject({ url: `https://${h}`, analysis: voice("warm") });

    const { calls } = await chatApi.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      model: "fake/brand-voice-analyzer",
      temperature: 0.3,
      max_tokens: 1000,
      authorization: "Bearer sk-test-key",
      response_format: { type: "json_object" },
    });
    expect(JSON.stringify(calls[0].messages)).toContain(`https://${h}`);

    const [row] = await sql<{ analysis_result: string; ttl_days: number }>(
      `SELECT analysis_result, extract(epoch FROM expires_at - cached_at) / 86400 AS ttl_days FROM blog.brand_voice_cache WHERE url = $1`,
      [`https://${h}`],
    );
    expect(JSON.parse(row!.analysis_result)).toEqual(voice("warm"));
    expect(Number(row!.ttl_days)).toBe(7);

    const hot = await countRoundTrips(() => analyse(`${h}/`));
    expect(hot.result.headers.get("x-cache")).toBe("redis");
    expect(hot.trips.postgres).toBe(0);
    expect(await hot.result.json()).toEqual(body);

    await redis().del(await brandVoiceKey(`https://${h}`));
    const warm = await countRoundTrips(() => analyse(`https://${h}/#about`));
    expect(warm.result.headers.get("x-cache")).toBe("postgres");
    expect(warm.trips.postgres).toBe(1);
    expect((await chatApi.calls()).count).toBe(1);
  });

  it("query parameters do not make a new store: ?x=1, ?x=2 and none share one row and one model call", async () => {
    const h = host();
    await chatApi.rules([{ match: h, json: voice("warm") }]);
    for (const q of ["?x=1", "?x=2&y=3", "/?utm_source=a#f", ""]) {
      const res = await analyse(`https://${h}${q}`);
      expect(res.status).toBe(200);
      expect((await res.json<any>()).url).toBe(`https://${h}`);
    }
    const rows = await sql<{ url: string }>(`SELECT url FROM blog.brand_voice_cache WHERE url LIKE $1`, [`https://${h}%`]);
    expect(rows).toEqual([{ url: `https://${h}` }]);
    expect((await chatApi.calls()).count).toBe(1);
    const session = await api("/v1/blog/sessions", jsonRequest({ storeUrl: `${h}/?ref=x&page=2` }));
    const { id } = await session.json<any>();
    const [stored] = await sql<{ store_url: string }>(`SELECT store_url FROM blog.blog_sessions WHERE id = $1`, [id]);
    expect(stored!.store_url).toBe(`https://${h}`);
  });

  it("re-analyses an expired entry", async () => {
    const h = host();
    await chatApi.rules([
      { match: h, json: voice("warm"), times: 1 },
      { match: h, json: voice("playful") },
    ]);
    await analyse(h);
    await sql(`UPDATE blog.brand_voice_cache SET expires_at = now() - interval '1 minute' WHERE url = $1`, [`https://${h}`]);
    await redis().del(await brandVoiceKey(`https://${h}`));
    const res = await analyse(h);
    expect(res.headers.get("x-cache")).toBe("origin");
    expect((await res.json<any>()).analysis.tone).toBe("playful");
    const [row] = await sql<{ fresh: boolean }>(
      `SELECT expires_at > now() + interval '6 days' AS fresh FROM blog.brand_voice_cache WHERE url = $1`,
      [`https://${h}`],
    );
    expect(row!.fresh).toBe(true);
    expect((await chatApi.calls()).count).toBe(2);
  });

  it("serves an expired entry as stale when the model fails", async () => {
    const h = host();
    await chatApi.rules([
      { match: h, json: voice("warm"), times: 1 },
      { match: h, status: 500 },
    ]);
    await analyse(h);
    await sql(`UPDATE blog.brand_voice_cache SET expires_at = now() - interval '1 minute' WHERE url = $1`, [`https://${h}`]);
    await redis().del(await brandVoiceKey(`https://${h}`));
    const res = await analyse(h);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBe("stale");
    expect((await res.json<any>()).analysis.tone).toBe("warm");
  });

  it("answers 502 and stores nothing when the model's answer is not a brand voice; 503 when it is down", async () => {
    const bad = host();
    const down = host();
    await chatApi.rules([
      { match: bad, content: "I think the brand is nice." },
      { match: down, status: 503 },
    ]);
    const res = await analyse(bad);
    expect(res.status).toBe(502);
    expect((await res.json<any>()).detail).not.toContain("nice");
    expect(await sql(`SELECT 1 FROM blog.brand_voice_cache WHERE url = $1`, [`https://${bad}`])).toEqual([]);
    const unavailable = await analyse(down);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("7");
  });

  it("20 concurrent requests for a new store make one model call", async () => {
    const h = host();
    await chatApi.rules([{ match: h, json: voice("calm"), delayMs: 200 }]);
    const all = await Promise.all(Array.from({ length: 20 }, () => analyse(h)));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await chatApi.calls()).count).toBe(1);
  });

  it("rejects what is not a web address", async () => {
    const res = await analyse("ftp://files.example");
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors).toEqual([{ path: "body.url", message: expect.any(String) }]);
    expect((await api("/v1/blog/brand-voice", jsonRequest({}))).status).toBe(400);
  });
});
