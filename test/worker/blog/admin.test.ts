import { beforeAll, describe, expect, it } from "vitest";
import { api, sql } from "../helpers";
import { adminHeaders, AGENTS, chatApi, jsonRequest, newStore, seedAgents } from "./helpers";
import { uniq } from "../helpers";

const adminCall = (path: string, init: RequestInit = {}) =>
  api(`/v1/blog/admin${path}`, { ...init, headers: { ...adminHeaders, ...init.headers } });

beforeAll(() => seedAgents());

describe("blog admin", () => {
  it("needs the admin token: 401 without, 401 (invalid_token) with a wrong one", async () => {
    expect((await api("/v1/blog/admin/agents")).status).toBe(401);
    expect((await api("/v1/blog/admin/settings", { headers: { Authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("lists the six agents' model configs with numbers for temperature and max tokens", async () => {
    const res = await adminCall("/agents");
    expect(res.status).toBe(200);
    const { items } = await res.json<any>();
    expect(items.map((a: any) => a.agentId)).toEqual(expect.arrayContaining([...AGENTS]));
    expect(items.find((a: any) => a.agentId === "blog-writer")).toMatchObject({
      modelId: "fake/blog-writer",
      temperature: 0.4,
      maxTokens: 1001,
    });
  });

  it("changes an agent's model, temperature and max tokens; refuses out-of-range values and unknown agents", async () => {
    const res = await adminCall(
      "/agents/blog-editor",
      jsonRequest({ modelId: "fake/blog-editor-v2", temperature: 1.25, maxTokens: 2048 }, "PATCH"),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ agentId: "blog-editor", modelId: "fake/blog-editor-v2", temperature: 1.25, maxTokens: 2048 });
    expect((await sql(`SELECT model_id, temperature, max_tokens FROM blog.agent_model_configs WHERE agent_id = 'blog-editor'`))[0]).toEqual(
      { model_id: "fake/blog-editor-v2", temperature: "1.25", max_tokens: "2048" },
    );

    const bad = await adminCall("/agents/blog-editor", jsonRequest({ temperature: 2.5, maxTokens: 0 }, "PATCH"));
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).errors.map((e: any) => e.path).sort()).toEqual(["body.maxTokens", "body.temperature"]);
    expect((await adminCall("/agents/blog-editor", jsonRequest({}, "PATCH"))).status).toBe(400);
    expect((await adminCall("/agents/no-such-agent", jsonRequest({ temperature: 1 }, "PATCH"))).status).toBe(404);
    await seedAgents();
  });

  it("creates an agent's config (201 + Location, defaults 0.7 / 4096), 409 for a second one, deletes it (204), 404 after", async () => {
    const agentId = uniq("custom-agent");
    const res = await adminCall("/agents", jsonRequest({ agentId, agentLabel: "Custom", modelId: "fake/custom" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/blog/admin/agents/${agentId}`);
    expect(await res.json()).toMatchObject({ agentId, agentLabel: "Custom", modelId: "fake/custom", temperature: 0.7, maxTokens: 4096 });
    const row = async () =>
      (await sql(`SELECT agent_label, model_id, temperature, max_tokens FROM blog.agent_model_configs WHERE agent_id = $1`, [agentId]))[0];
    expect(await row()).toEqual({ agent_label: "Custom", model_id: "fake/custom", temperature: "0.7", max_tokens: "4096" });

    const again = await adminCall("/agents", jsonRequest({ agentId, agentLabel: "Other", modelId: "fake/other", temperature: 1 }));
    expect(again.status).toBe(409);
    expect((await again.json<any>()).errors).toEqual([{ path: "body.agentId", message: "already configured" }]);
    expect((await row())?.model_id).toBe("fake/custom");

    expect((await adminCall(`/agents/${agentId}`, { method: "DELETE" })).status).toBe(204);
    expect(await row()).toBeUndefined();
    expect((await adminCall(`/agents/${agentId}`, { method: "DELETE" })).status).toBe(404);
  });

  it("a deleted pipeline agent can be created again with its own values, and the create is validated", async () => {
    expect((await adminCall("/agents/seo-specialist", { method: "DELETE" })).status).toBe(204);
    const list = await (await adminCall("/agents")).json<any>();
    expect(list.items.map((a: any) => a.agentId)).not.toContain("seo-specialist");
    const res = await adminCall(
      "/agents",
      jsonRequest({ agentId: "seo-specialist", agentLabel: "SEO", modelId: "fake/seo-specialist", temperature: 0.456, maxTokens: 512 }),
    );
    expect(res.status).toBe(201);
    expect((await sql(`SELECT temperature, max_tokens FROM blog.agent_model_configs WHERE agent_id = 'seo-specialist'`))[0]).toEqual({
      temperature: "0.46",
      max_tokens: "512",
    });

    const bad = await adminCall("/agents", jsonRequest({ agentId: "Not An Id", agentLabel: "", modelId: "m", temperature: 3 }));
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).errors.map((e: any) => e.path).sort()).toEqual(["body.agentId", "body.agentLabel", "body.temperature"]);
    expect((await api("/v1/blog/admin/agents", jsonRequest({ agentId: "x", agentLabel: "x", modelId: "m" }))).status).toBe(401);
    await seedAgents();
  });

  it("writes secret settings but never shows their value, only whether and when they were set", async () => {
    const secret = `sk-or-${uniq("secret")}`;
    const put = await adminCall("/settings/openrouter_api_key", jsonRequest({ value: secret }, "PUT"));
    expect(put.status).toBe(200);
    const putText = await put.text();
    expect(putText).not.toContain(secret);
    expect(JSON.parse(putText)).toMatchObject({ key: "openrouter_api_key", secret: true, isSet: true, updatedAt: expect.any(String) });

    const list = await (await adminCall("/settings")).text();
    expect(list).not.toContain(secret);
    expect(JSON.parse(list).items.find((s: any) => s.key === "openrouter_api_key")).not.toHaveProperty("value");
    const one = await (await adminCall("/settings/openrouter_api_key")).json<any>();
    expect(one).toMatchObject({ secret: true, isSet: true });
    expect(one).not.toHaveProperty("value");
    expect((await sql(`SELECT value FROM blog.app_settings WHERE key = 'openrouter_api_key'`))[0]).toEqual({ value: secret });

    // The next model call uses the new key.
    await chatApi.reset();
    const host = newStore("admin");
    await chatApi.rules([{ match: host, json: { tone: "t", summary: "s" } }]);
    expect((await api("/v1/blog/brand-voice", jsonRequest({ url: host }))).status).toBe(200);
    expect((await chatApi.calls()).calls[0].authorization).toBe(`Bearer ${secret}`);

    const cleared = await adminCall("/settings/openrouter_api_key", jsonRequest({ value: "" }, "PUT"));
    expect((await cleared.json<any>()).isSet).toBe(false);
    await seedAgents();
  });

  it("settings declared secret (smtp_pass, signing_secret_v2) are never shown by any read; the column rules, not the name", async () => {
    const prefix = uniq("s").replace(/-/g, "_");
    // Neither name is credential-like by the old name pattern (…key/secret/token/password at the end).
    const smtp = `${prefix}_smtp_pass`;
    const signing = `${prefix}_signing_secret_v2`;
    const values = { [smtp]: `smtp-${uniq("pw")}`, [signing]: `whsec-${uniq("sig")}` };
    for (const [key, value] of Object.entries(values)) {
      const put = await adminCall(`/settings/${key}`, jsonRequest({ value, secret: true }, "PUT"));
      expect(put.status).toBe(200);
      const text = await put.text();
      expect(text).not.toContain(value);
      expect(JSON.parse(text)).toMatchObject({ key, secret: true, isSet: true });
    }
    const secretRows = async () =>
      sql<{ key: string; value: string; is_secret: boolean }>(
        `SELECT key, value, is_secret FROM blog.app_settings WHERE key = ANY($1) ORDER BY key`,
        [[smtp, signing]],
      );
    expect(await secretRows()).toEqual([smtp, signing].sort().map((key) => ({ key, value: values[key], is_secret: true })));
    const list = await (await adminCall("/settings")).text();
    for (const [key, value] of Object.entries(values)) {
      expect(list).not.toContain(value);
      expect(JSON.parse(list).items.find((s: any) => s.key === key)).toMatchObject({ secret: true, isSet: true });
      const one = await (await adminCall(`/settings/${key}`)).text();
      expect(one).not.toContain(value);
      expect(JSON.parse(one)).not.toHaveProperty("value");
    }

    // Rewritten without `secret`: still a secret.
    const newer = `whsec-${uniq("sig2")}`;
    expect(await (await adminCall(`/settings/${signing}`, jsonRequest({ value: newer }, "PUT"))).text()).not.toContain(newer);
    expect((await sql(`SELECT value, is_secret FROM blog.app_settings WHERE key = $1`, [signing]))[0]).toEqual({
      value: newer,
      is_secret: true,
    });
    expect(await (await adminCall(`/settings/${signing}`)).text()).not.toContain(newer);

    // A row marked secret in the table is hidden whatever its name; a credential-like name declared not secret is shown.
    const plain = `${prefix}_footer`;
    await sql(`INSERT INTO blog.app_settings (key, value, is_secret) VALUES ($1, 'hidden-by-column', true)`, [plain]);
    expect(await (await adminCall(`/settings/${plain}`)).text()).not.toContain("hidden-by-column");
    const token = `${prefix}_public_token`;
    expect(await (await adminCall(`/settings/${token}`, jsonRequest({ value: "pk-visible" }, "PUT"))).json()).toMatchObject({
      secret: true,
    });
    expect(await (await adminCall(`/settings/${token}`, jsonRequest({ value: "pk-visible", secret: false }, "PUT"))).json()).toMatchObject({
      secret: false,
      value: "pk-visible",
    });
  });

  it("shows the value of a setting that is not a secret; 404 for an unknown key, 400 for a malformed one", async () => {
    const key = `footer_${uniq("x").replace(/-/g, "_")}`;
    expect(await (await adminCall(`/settings/${key}`, jsonRequest({ value: "Made with love" }, "PUT"))).json()).toMatchObject({
      key,
      secret: false,
      isSet: true,
      value: "Made with love",
    });
    expect(await (await adminCall(`/settings/${key}`)).json()).toMatchObject({ value: "Made with love" });
    expect((await adminCall("/settings/never_set_anywhere")).status).toBe(404);
    expect((await adminCall("/settings/Bad-Key", jsonRequest({ value: "x" }, "PUT"))).status).toBe(400);
  });
});
