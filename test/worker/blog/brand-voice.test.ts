import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { brandVoiceKey } from "../../../functions/blog/brand-voice.cache";
import { normalizeStoreUrl } from "../../../functions/blog/store-url";
import { providerModelId } from "../../../src/core/chat-completions";
import { api, countRoundTrips, sql } from "../helpers";
import { callWith, chatApi, jsonRequest, newStore, seedAgents, setSetting, storePages } from "./helpers";
import { redis } from "../helpers";

const voice = (tone: string) => ({
  tone,
  personality: ["romantic"],
  audience: "brides-to-be",
  vocabulary: ["timeless"],
  avoid: ["cheap"],
  summary: `A ${tone} voice.`,
});
const analyse = (url: string) => api("/v1/blog/brand-voice", jsonRequest({ url }));
const host = () => newStore();

beforeAll(() => seedAgents());
beforeEach(async () => {
  await chatApi.reset();
  await storePages.reset();
});

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
    await sql(
      `UPDATE blog.agent_model_configs SET model_id = 'openrouter/anthropic/claude-3.5-sonnet' WHERE agent_id = 'brand-voice-analyzer'`,
    );
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
    const res = await analyse(`HTTP://${h}/?utm_campaign=spring`);
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

describe("the analyzer reads the store", () => {
  /** the path part of a store made by newStore(), where the fake serves its pages */
  const pathOf = (store: string) => store.slice(store.indexOf("/"));
  const promptOf = async () => {
    const { calls } = await chatApi.calls();
    expect(calls).toHaveLength(1);
    return calls[0].messages.map((m: { content: string }) => m.content).join("\n");
  };

  it("gives the model the text of the home page, the linked about page and up to N product pages, without script, style or nav", async () => {
    const store = host();
    const p = pathOf(store);
    const products = [1, 2, 3, 4].map((i) => `${p}/products/gown-${i}`);
    await storePages.put({
      [p]: {
        html: `<!doctype html><html><head><title>Maison Blanche &amp; Co</title><meta name="description" content="Timeless gowns, made in Lyon">
          <style>.hero{color:red} STYLE_SECRET</style><script>var SCRIPT_SECRET = "x";</script></head>
          <body><nav><a href="${p}/about-us">About NAV_TEXT</a></nav><header><h1>Gowns for the modern romantic</h1></header>
          <main><p>We believe every bride deserves a dress that feels like her.</p><p>Caf&eacute; au lait silk &ndash; hand-finished.</p>
          ${products.map((u, i) => `<a href="${u}?variant=${i}#top">Gown ${i}</a>`).join("")}
          <a href="https://elsewhere.example/products/x">Other store</a><noscript>NOSCRIPT_SECRET</noscript></main>
          <script type="application/ld+json">{"LDJSON_SECRET":1}</script></body></html>`,
      },
      [`${p}/about-us`]: { html: "<html><body><p>Founded by two sisters in 1998, our atelier sews each gown by hand.</p></body></html>" },
      ...Object.fromEntries(
        products.map((u, i) => [u, { html: `<html><body><h2>Gown ${i + 1}</h2><p>Lace bodice number ${i + 1}.</p></body></html>` }]),
      ),
    });
    await chatApi.rules([{ json: voice("romantic") }]);
    const res = await analyse(store);
    expect(res.status).toBe(200);
    const prompt = await promptOf();
    for (const text of [
      "Maison Blanche & Co",
      "Timeless gowns, made in Lyon",
      "Gowns for the modern romantic",
      "We believe every bride deserves a dress that feels like her.",
      "Café au lait silk – hand-finished.",
      "Founded by two sisters in 1998",
      "Lace bodice number 1.",
      "Lace bodice number 3.",
    ])
      expect(prompt).toContain(text);
    for (const noise of ["SCRIPT_SECRET", "STYLE_SECRET", "NAV_TEXT", "NOSCRIPT_SECRET", "LDJSON_SECRET", "Lace bodice number 4"])
      expect(prompt).not.toContain(noise);
    // BLOG_STORE_PRODUCT_PAGES (default 3) product pages, the about page and the home page; query and fragment dropped; no other host
    const paths = (await storePages.calls()).calls.map((c: { path: string }) => c.path).filter((x: string) => x.startsWith(p));
    expect(paths.sort()).toEqual([p, `${p}/about-us`, ...products.slice(0, 3)].sort());
  });

  it("reads at most BLOG_STORE_PAGE_MAX_BYTES of a page (the rest is not downloaded) and gives the model at most BLOG_STORE_MAX_CHARS", async () => {
    const store = host();
    const p = pathOf(store);
    await storePages.put({
      [p]: { html: "<html><body><p>START_OF_PAGE</p>", padBytes: 20 * 1024 * 1024, tail: "<p>END_OF_PAGE</p></body></html>" },
    });
    await chatApi.rules([{ json: voice("calm") }]);
    const res = await callWith(
      { BLOG_STORE_PAGE_MAX_BYTES: "65536", BLOG_STORE_MAX_CHARS: "3000" },
      "/v1/blog/brand-voice",
      jsonRequest({ url: store }),
    );
    expect(res.status).toBe(200);
    const { messages } = (await chatApi.calls()).calls[0];
    const data = JSON.parse(messages[1].content);
    expect(data.pages[0].text).toContain("START_OF_PAGE");
    expect(data.pages[0].text.length).toBeLessThanOrEqual(3000);
    expect(messages[1].content).not.toContain("END_OF_PAGE");
    const [call] = (await storePages.calls(`GET ${p}`)).calls;
    expect(call.completed).toBe(false);
    expect(call.bytesSent).toBeLessThan(20 * 1024 * 1024);
  });

  it("a home page that stalls answers 503 with Retry-After within BLOG_STORE_TIMEOUT_MS, without a model call; nothing is stored", async () => {
    const store = host();
    const p = pathOf(store);
    await storePages.put({ [p]: { html: "<html><body><p>Hello", stallAfterMs: 10_000, tail: "</p></body></html>" } });
    const t0 = Date.now();
    const res = await analyse(store);
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect((await res.json<any>()).detail).toMatch(/store/);
    expect((await chatApi.calls()).count).toBe(0);
    expect(await sql(`SELECT 1 FROM blog.brand_voice_cache WHERE url = $1`, [`https://${store}`])).toEqual([]);
  });

  it("a product page that stalls is left out: the analysis uses what was read, promptly", async () => {
    const store = host();
    const p = pathOf(store);
    await storePages.put({
      [p]: { html: `<html><body><p>HOME_TEXT</p><a href="${p}/products/slow">slow</a><a href="${p}/products/fast">fast</a></body></html>` },
      [`${p}/products/slow`]: { html: "<html><body><p>SLOW_", stallAfterMs: 10_000, tail: "TEXT</p></body></html>" },
      [`${p}/products/fast`]: { html: "<html><body><p>FAST_TEXT</p></body></html>" },
    });
    await chatApi.rules([{ json: voice("brisk") }]);
    const res = await analyse(store);
    expect(res.status).toBe(200);
    const prompt = await promptOf();
    expect(prompt).toContain("HOME_TEXT");
    expect(prompt).toContain("FAST_TEXT");
    expect(prompt).not.toContain("SLOW_");
  });

  it("a store that answers garbage: 4xx or not HTML → 502, 5xx → 503; no model call", async () => {
    const [missing, json, down] = [host(), host(), host()];
    await storePages.put({
      [pathOf(missing)]: { status: 404 },
      [pathOf(json)]: { html: '{"not":"html"}', contentType: "application/json" },
      [pathOf(down)]: { status: 500 },
    });
    expect((await analyse(missing)).status).toBe(502);
    expect((await analyse(json)).status).toBe(502);
    const unavailable = await analyse(down);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBeTruthy();
    expect((await chatApi.calls()).count).toBe(0);
  });

  it("follows a redirect only to a public address (each hop passes the outbound-URL guard); private addresses are refused up front", async () => {
    const store = host();
    await storePages.put({ [pathOf(store)]: { status: 302, location: "http://169.254.169.254/latest/meta-data/" } });
    expect((await analyse(store)).status).toBe(400);
    const direct = await analyse("http://169.254.169.254/latest");
    expect(direct.status).toBe(400);
    expect((await direct.json<any>()).errors[0].path).toBe("body.url");
    expect((await chatApi.calls()).count).toBe(0);
  });
});
