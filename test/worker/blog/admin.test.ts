import { beforeAll, describe, expect, it } from "vitest";
import { api, sql } from "../helpers";
import { adminHeaders, AGENTS, chatApi, jsonRequest, newStore, seedAgents } from "./helpers";
import { uniq } from "../helpers";

const adminCall = (path: string, init: RequestInit = {}) =>
  api(`/v1/blog/admin${path}`, { ...init, headers: { ...adminHeaders, ...init.headers } });

beforeAll(() => seedAgents());

describe("blog admin", () => {
  it("needs the admin token: 401 without, 403 with a wrong one", async () => {
    expect((await api("/v1/blog/admin/agents")).status).toBe(401);
    expect((await api("/v1/blog/admin/settings", { headers: { Authorization: "Bearer nope" } })).status).toBe(403);
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
