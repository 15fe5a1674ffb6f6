/** One request per blog route and cache state, for round-trip-audit.test.ts. */
import { brandVoiceKey } from "../../../functions/blog/brand-voice.cache";
import { dressKey, listKey } from "../../../functions/blog/dresses.cache";
import { adminHeaders, chatApi, dress, dressApi, jsonRequest, newStore, seedAgents, waitFor } from "./helpers";
import { redis, uniq } from "../helpers";
import { api, sql } from "../helpers";
import type { AuditCase } from "../round-trip-audit.types";
import { edgeStates } from "../edge";

const voice = {
  tone: "warm",
  personality: ["romantic"],
  audience: "brides",
  vocabulary: ["timeless"],
  avoid: ["cheap"],
  summary: "A warm voice.",
};
const listingKey = (category: string) => listKey(category, 1, 20);

async function freshDress() {
  const category = uniq("audit-cat");
  const id = uniq("audit-dress");
  await dressApi.add([dress(id, category)]);
  return { id, category };
}

const listing = (category: string) => () => api(`/v1/blog/dresses?category=${encodeURIComponent(category)}&page=1&pageSize=20`);
const oneDress = (id: string) => () => api(`/v1/blog/dresses/${id}`);
const analyse = (host: string) => () => api("/v1/blog/brand-voice", jsonRequest({ url: `https://${host}` }));

async function draft(withDress = true) {
  const { id } = await freshDress();
  if (withDress) await (await oneDress(id)())?.arrayBuffer();
  const res = await api(
    "/v1/blog/sessions",
    jsonRequest({ storeUrl: "https://audit.example", ...(withDress ? { selectedDressIds: [id] } : {}) }),
  );
  return (await res.json<{ id: string }>()).id;
}

export const cases: AuditCase[] = [
  {
    route: "GET /v1/blog/dresses",
    status: 200,
    states: {
      cold: async () => listing((await freshDress()).category),
      warm: async () => {
        const { category } = await freshDress();
        await (await listing(category)()).arrayBuffer();
        await redis().del(listingKey(category));
        return listing(category);
      },
      hot: async () => {
        const { category } = await freshDress();
        await (await listing(category)()).arrayBuffer();
        return listing(category);
      },
      ...edgeStates(async () => `/v1/blog/dresses?category=${encodeURIComponent((await freshDress()).category)}&page=1&pageSize=20`),
    },
  },
  {
    route: "GET /v1/blog/dresses/{externalId}",
    status: 200,
    states: {
      cold: async () => oneDress((await freshDress()).id),
      warm: async () => {
        const { id } = await freshDress();
        await (await oneDress(id)()).arrayBuffer();
        await redis().del(dressKey(id));
        return oneDress(id);
      },
      hot: async () => {
        const { id } = await freshDress();
        await (await oneDress(id)()).arrayBuffer();
        return oneDress(id);
      },
      ...edgeStates(async () => `/v1/blog/dresses/${(await freshDress()).id}`),
    },
  },
  {
    route: "POST /v1/blog/brand-voice",
    status: 200,
    states: {
      cold: async () => {
        await seedAgents();
        const h = newStore("audit");
        await chatApi.rules([{ match: h, json: voice }]);
        return analyse(h);
      },
      warm: async () => {
        await seedAgents();
        const h = newStore("audit");
        await chatApi.rules([{ match: h, json: voice }]);
        await (await analyse(h)()).arrayBuffer();
        await redis().del(await brandVoiceKey(`https://${h}`));
        return analyse(h);
      },
      hot: async () => {
        await seedAgents();
        const h = newStore("audit");
        await chatApi.rules([{ match: h, json: voice }]);
        await (await analyse(h)()).arrayBuffer();
        return analyse(h);
      },
    },
  },
  {
    route: "POST /v1/blog/sessions",
    status: 201,
    states: { warm: async () => () => api("/v1/blog/sessions", jsonRequest({ storeUrl: "https://audit.example" })) },
  },
  {
    route: "GET /v1/blog/sessions/{id}",
    status: 200,
    states: {
      warm: async () => {
        const id = await draft(false);
        return () => api(`/v1/blog/sessions/${id}`);
      },
    },
  },
  {
    route: "PATCH /v1/blog/sessions/{id}",
    status: 200,
    states: {
      warm: async () => {
        const id = await draft(false);
        return () => api(`/v1/blog/sessions/${id}`, jsonRequest({ additionalInstructions: "short" }, "PATCH"));
      },
    },
  },
  {
    route: "POST /v1/blog/sessions/{id}/generate",
    status: 202,
    states: {
      warm: async () => {
        await seedAgents();
        const id = await draft();
        return () => api(`/v1/blog/sessions/${id}/generate`, { method: "POST" });
      },
    },
    // the pipeline runs after the answer (queue consumer); its writes must not land in the next measurement
    settle: async () => {
      await waitFor(
        async () =>
          (await sql("SELECT 1 FROM blog.blog_sessions WHERE status = 'generating' AND store_url = 'https://audit.example'")).length === 0,
        20_000,
      );
    },
  },
  {
    route: "POST /v1/blog/sessions/{id}/retry",
    status: 202,
    states: {
      warm: async () => {
        await seedAgents();
        const { id: dressId } = await freshDress();
        await (await oneDress(dressId)())?.arrayBuffer();
        const [row] = await sql<{ id: string }>(
          "INSERT INTO blog.blog_sessions (status, store_url, selected_dress_ids, agent_log) VALUES ('failed', 'https://audit.example', $1, '[]') RETURNING id",
          [JSON.stringify([dressId])],
        );
        return () => api(`/v1/blog/sessions/${row!.id}/retry`, { method: "POST" });
      },
    },
    settle: async () => {
      await waitFor(
        async () =>
          (await sql("SELECT 1 FROM blog.blog_sessions WHERE status = 'generating' AND store_url = 'https://audit.example'")).length === 0,
        20_000,
      );
    },
  },
  {
    route: "GET /v1/blog/admin/sessions",
    status: 200,
    states: {
      admin: async () => {
        await draft(false);
        const first = await (await api("/v1/blog/admin/sessions?limit=1", { headers: adminHeaders })).json<{ nextCursor: string }>();
        return () => api(`/v1/blog/admin/sessions?limit=20&cursor=${first.nextCursor}`, { headers: adminHeaders });
      },
    },
  },
  {
    route: "DELETE /v1/blog/admin/sessions/{id}",
    status: 204,
    states: {
      admin: async () => {
        const id = await draft(false);
        return () => api(`/v1/blog/admin/sessions/${id}`, { method: "DELETE", headers: adminHeaders });
      },
    },
  },
  {
    route: "GET /v1/blog/admin/agents",
    status: 200,
    states: { admin: async () => () => api("/v1/blog/admin/agents", { headers: adminHeaders }) },
  },
  {
    route: "PATCH /v1/blog/admin/agents/{agentId}",
    status: 200,
    states: {
      admin: async () => {
        await seedAgents();
        return () =>
          api("/v1/blog/admin/agents/blog-editor", { method: "PATCH", headers: adminHeaders, body: JSON.stringify({ temperature: 0.4 }) });
      },
    },
  },
  {
    route: "POST /v1/blog/admin/agents",
    status: 201,
    states: {
      admin: async () => () =>
        api("/v1/blog/admin/agents", {
          method: "POST",
          headers: adminHeaders,
          body: JSON.stringify({ agentId: uniq("audit-agent"), agentLabel: "Audit", modelId: "fake/audit" }),
        }),
    },
  },
  {
    route: "DELETE /v1/blog/admin/agents/{agentId}",
    status: 204,
    states: {
      admin: async () => {
        const agentId = uniq("audit-agent");
        await sql("INSERT INTO blog.agent_model_configs (agent_id, agent_label, model_id) VALUES ($1, 'Audit', 'fake/audit')", [agentId]);
        return () => api(`/v1/blog/admin/agents/${agentId}`, { method: "DELETE", headers: adminHeaders });
      },
    },
  },
  {
    route: "GET /v1/blog/admin/settings",
    status: 200,
    states: { admin: async () => () => api("/v1/blog/admin/settings", { headers: adminHeaders }) },
  },
  {
    route: "GET /v1/blog/admin/settings/{key}",
    status: 200,
    states: {
      admin: async () => {
        await seedAgents();
        return () => api("/v1/blog/admin/settings/openrouter_api_key", { headers: adminHeaders });
      },
    },
  },
  {
    route: "PUT /v1/blog/admin/settings/{key}",
    status: 200,
    states: {
      admin: async () => {
        await sql("DELETE FROM blog.app_settings WHERE key = 'audit_setting'");
        await sql("INSERT INTO blog.app_settings (key, value) VALUES ('audit_setting', 'a')");
        return () =>
          api("/v1/blog/admin/settings/audit_setting", { method: "PUT", headers: adminHeaders, body: JSON.stringify({ value: "b" }) });
      },
    },
  },
];
