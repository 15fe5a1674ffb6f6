/** Agent tools (admin), definitions (owner CRUD, public catalogue), instances (transitions, the plan's agent limit). */
import { beforeAll, describe, expect, it } from "vitest";
import { redisCommand } from "../helpers";
import { adminHeaders, api, call, expectJson, newUser, sql, type TestUser, token } from "./helpers";

const schemaOf = (properties: Record<string, unknown> = { q: { type: "string" } }) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
});
let systemToolId: string;

async function customTool(name = `tool_${crypto.randomUUID().slice(0, 8).replace(/-/g, "")}`) {
  return expectJson<{ id: string; name: string }>(
    await api("/v1/chat/agent-tools", {
      method: "POST",
      headers: adminHeaders,
      body: JSON.stringify({ name, description: "A custom tool", schema: schemaOf() }),
    }),
    201,
  );
}

async function definition(u: TestUser, extra: Record<string, unknown> = {}) {
  return expectJson<{ id: string; isPublic: boolean }>(
    await call(u, "POST", "/agent-definitions", {
      name: "Researcher",
      description: "Finds things",
      systemPrompt: "You research.",
      ...extra,
    }),
    201,
  );
}

beforeAll(async () => {
  const [row] = await sql<{
    id: string;
  }>(`INSERT INTO chat.agent_tools (name, description, schema, is_system) VALUES ('web_search', 'Search the web', '{"type":"object","properties":{"query":{"type":"string"}}}', true)
    ON CONFLICT (name) DO UPDATE SET is_system = true RETURNING id`);
  systemToolId = row!.id;
});

describe("agent tools", () => {
  it("anyone signed in lists and reads them; admins create custom ones; system tools are read-only", async () => {
    const u = await newUser();
    const tool = await customTool();
    const list = await expectJson(await call(u, "GET", "/agent-tools?pageSize=100"), 200);
    expect(list.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([systemToolId, tool.id]));
    expect(
      (await expectJson(await call(u, "GET", "/agent-tools?isSystem=true&pageSize=100"), 200)).items.every((t: any) => t.isSystem),
    ).toBe(true);
    expect((await expectJson(await call(u, "GET", `/agent-tools/${tool.id}`), 200)).isSystem).toBe(false);
    const patched = await expectJson(
      await api(`/v1/chat/agent-tools/${tool.id}`, {
        method: "PATCH",
        headers: adminHeaders,
        body: JSON.stringify({ description: "Better" }),
      }),
      200,
    );
    expect(patched.description).toBe("Better");
    const sys = await api(`/v1/chat/agent-tools/${systemToolId}`, {
      method: "PATCH",
      headers: adminHeaders,
      body: JSON.stringify({ description: "hacked" }),
    });
    expect(sys.status).toBe(403);
    expect(await sql("SELECT description FROM chat.agent_tools WHERE id = $1", [systemToolId])).toEqual([
      { description: "Search the web" },
    ]);
  });

  it("a Supabase user whose app_metadata.role is admin may write tools too", async () => {
    const id = crypto.randomUUID();
    const adminToken = await token(id, { appMetadata: { role: "admin" } });
    const name = `claim_${crypto.randomUUID().slice(0, 8)}`;
    const res = await api("/v1/chat/agent-tools", {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name, description: "x", schema: schemaOf() }),
    });
    expect(res.status).toBe(201);
    expect(await sql("SELECT is_system FROM chat.agent_tools WHERE name = $1", [name])).toEqual([{ is_system: false }]);
  });

  it("only an admin may write tools", async () => {
    const u = await newUser();
    const body = JSON.stringify({ name: "nope_tool", description: "x", schema: schemaOf() });
    expect((await api("/v1/chat/agent-tools", { method: "POST", headers: u.headers, body })).status).toBe(403);
    expect((await api("/v1/chat/agent-tools", { method: "POST", headers: { "Content-Type": "application/json" }, body })).status).toBe(401);
    expect(await sql("SELECT 1 FROM chat.agent_tools WHERE name = 'nope_tool'")).toHaveLength(0);
  });

  it("a tool's schema must itself be a valid JSON Schema of type object", async () => {
    const bad = [
      { type: "strng" },
      { type: "object", properties: { a: { type: "string", minLength: -1 } } },
      { type: "object", required: "a" },
      { type: "object", properties: { a: { pattern: "([" } } },
      { type: "array", items: { type: "string" } },
    ];
    for (const schema of bad) {
      const res = await api("/v1/chat/agent-tools", {
        method: "POST",
        headers: adminHeaders,
        body: JSON.stringify({ name: "bad_schema_tool", description: "x", schema }),
      });
      expect(res.status, JSON.stringify(schema)).toBe(400);
      expect((await res.json<any>()).errors[0].path).toMatch(/^body\.schema/);
    }
    expect(await sql("SELECT 1 FROM chat.agent_tools WHERE name = 'bad_schema_tool'")).toHaveLength(0);
    const nested = schemaOf({
      where: { type: "object", properties: { city: { type: "string", enum: ["Oslo", "Rome"] } }, additionalProperties: false },
      n: { type: ["integer", "null"], minimum: 1 },
    });
    await expectJson(
      await api("/v1/chat/agent-tools", {
        method: "POST",
        headers: adminHeaders,
        body: JSON.stringify({ name: `ok_${crypto.randomUUID().slice(0, 6)}`, description: "x", schema: nested }),
      }),
      201,
    );
  });
});

describe("agent definitions", () => {
  it("owner CRUD; tools must name existing tools (400 naming the unknown ones)", async () => {
    const u = await newUser();
    const tool = await customTool();
    const missing = crypto.randomUUID();
    const res = await call(u, "POST", "/agent-definitions", { name: "A", description: "d", systemPrompt: "p", tools: [tool.id, missing] });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors).toEqual([{ path: "body.tools.1", message: `no tool has the id ${missing}` }]);
    expect(await sql("SELECT 1 FROM chat.agent_definitions WHERE user_id = $1", [u.id])).toHaveLength(0);
    const d = await definition(u, { tools: [tool.id, systemToolId], capabilities: { web: true } });
    expect(d).toMatchObject({ tools: [tool.id, systemToolId], capabilities: { web: true }, isPublic: false });
    expect((await expectJson(await call(u, "GET", "/agent-definitions"), 200)).items.map((x: any) => x.id)).toEqual([d.id]);
    expect((await call(u, "PATCH", `/agent-definitions/${d.id}`, { tools: [missing] })).status).toBe(400);
    const patched = await expectJson(await call(u, "PATCH", `/agent-definitions/${d.id}`, { name: "B", tools: [] }), 200);
    expect(patched).toMatchObject({ name: "B", tools: [] });
    expect((await call(u, "DELETE", `/agent-definitions/${d.id}`)).status).toBe(204);
    expect(await sql("SELECT 1 FROM chat.agent_definitions WHERE id = $1", [d.id])).toHaveLength(0);
  });

  it("private definitions are 404 to others; public ones are readable by all and listed in the cached catalogue", async () => {
    const owner = await newUser();
    const other = await newUser();
    const priv = await definition(owner);
    const name = `Public ${crypto.randomUUID().slice(0, 8)}`;
    const pub = await definition(owner, { name, isPublic: true });
    expect((await call(other, "GET", `/agent-definitions/${priv.id}`)).status).toBe(404);
    expect((await call(other, "PATCH", `/agent-definitions/${pub.id}`, { name: "mine" })).status).toBe(404);
    expect((await call(other, "DELETE", `/agent-definitions/${pub.id}`)).status).toBe(404);
    expect((await expectJson(await call(other, "GET", `/agent-definitions/${pub.id}`), 200)).name).toBe(name);
    const first = await api(`/v1/chat/agent-definitions/public?q=${encodeURIComponent(name)}`);
    expect(first.headers.get("X-Cache")).toBe("origin");
    expect((await expectJson(first, 200)).items.map((x: any) => x.id)).toEqual([pub.id]);
    const second = await api(`/v1/chat/agent-definitions/public?q=${encodeURIComponent(name)}`);
    expect(second.headers.get("X-Cache")).toBe("redis");
    await second.arrayBuffer();
    // a change to a public definition is visible at once
    await expectJson(await call(owner, "PATCH", `/agent-definitions/${pub.id}`, { isPublic: false }), 200);
    const after = await api(`/v1/chat/agent-definitions/public?q=${encodeURIComponent(name)}`);
    expect(after.headers.get("X-Cache")).toBe("origin");
    expect((await expectJson(after, 200)).items).toEqual([]);
    expect(Number(await redisCommand("GET", "chat:catalogue:gen"))).toBeGreaterThan(0);
  });
});

describe("agent instances", () => {
  it("created from one's own or a public definition; active ↔ paused → archived; illegal moves are 409", async () => {
    const owner = await newUser();
    const u = await newUser();
    const pub = await definition(owner, { isPublic: true });
    const priv = await definition(owner);
    const bad = await call(u, "POST", "/agent-instances", { definitionId: priv.id, name: "x" });
    expect(bad.status).toBe(422);
    const res = await call(u, "POST", "/agent-instances", { definitionId: pub.id, name: "Helper", configuration: { model: "fake/agent" } });
    expect(res.headers.get("Location")).toMatch(/^\/v1\/chat\/agent-instances\//);
    const inst = await expectJson(res, 201);
    expect(inst).toMatchObject({ status: "active", definitionId: pub.id, configuration: { model: "fake/agent" } });
    expect((await call(u, "POST", `/agent-instances/${inst.id}/resume`)).status).toBe(409);
    expect((await expectJson(await call(u, "POST", `/agent-instances/${inst.id}/pause`), 200)).status).toBe("paused");
    expect((await call(u, "POST", `/agent-instances/${inst.id}/pause`)).status).toBe(409);
    expect((await expectJson(await call(u, "POST", `/agent-instances/${inst.id}/resume`), 200)).status).toBe("active");
    expect((await expectJson(await call(u, "PATCH", `/agent-instances/${inst.id}`, { name: "Renamed" }), 200)).name).toBe("Renamed");
    expect((await expectJson(await call(u, "POST", `/agent-instances/${inst.id}/archive`), 200)).status).toBe("archived");
    for (const move of ["pause", "resume", "archive"])
      expect((await call(u, "POST", `/agent-instances/${inst.id}/${move}`)).status).toBe(409);
    expect(await sql("SELECT status, name FROM chat.agent_instances WHERE id = $1", [inst.id])).toEqual([
      { status: "archived", name: "Renamed" },
    ]);
    expect((await expectJson(await call(u, "GET", "/agent-instances?status=archived"), 200)).items.map((x: any) => x.id)).toEqual([
      inst.id,
    ]);
    // others see nothing
    for (const r of await Promise.all([
      call(owner, "GET", `/agent-instances/${inst.id}`),
      call(owner, "PATCH", `/agent-instances/${inst.id}`, { name: "x" }),
      call(owner, "POST", `/agent-instances/${inst.id}/pause`),
    ])) {
      expect(r.status).toBe(404);
    }
    // a definition in use cannot be deleted
    expect((await call(owner, "DELETE", `/agent-definitions/${pub.id}`)).status).toBe(409);
  });

  it("20 concurrent creates at a limit of 3 make exactly 3; the rest get 403 with the limit", async () => {
    const u = await newUser();
    const d = await definition(u);
    await expectJson(await call(u, "GET", "/me"), 200);
    await sql("INSERT INTO chat.subscriptions (user_id, plan, status, is_active, agent_limit) VALUES ($1, 'pro', 'active', true, 3)", [
      u.id,
    ]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(u, "POST", "/agent-instances", { definitionId: d.id, name: `agent ${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 403)).toHaveLength(17);
    const refused = await results.find((r) => r.status === 403)!.json<any>();
    expect(refused).toMatchObject({ status: 403, agentLimit: 3, activeInstances: 3, plan: "pro" });
    for (const r of results) await r.arrayBuffer().catch(() => {});
    expect(await sql("SELECT count(*)::int AS n FROM chat.agent_instances WHERE user_id = $1", [u.id])).toEqual([{ n: 3 }]);
    // archiving one frees a place
    const [one] = await sql<{ id: string }>("SELECT id FROM chat.agent_instances WHERE user_id = $1 LIMIT 1", [u.id]);
    await expectJson(await call(u, "POST", `/agent-instances/${one!.id}/archive`), 200);
    await expectJson(await call(u, "POST", "/agent-instances", { definitionId: d.id, name: "replacement" }), 201);
    expect((await call(u, "POST", "/agent-instances", { definitionId: d.id, name: "one too many" })).status).toBe(403);
  });

  it("without a subscription the free plan's limit (3) applies", async () => {
    const u = await newUser();
    const d = await definition(u);
    for (let i = 0; i < 3; i++) await expectJson(await call(u, "POST", "/agent-instances", { definitionId: d.id, name: `free ${i}` }), 201);
    const res = await call(u, "POST", "/agent-instances", { definitionId: d.id, name: "free 4" });
    expect(res.status).toBe(403);
    expect(await res.json<any>()).toMatchObject({ agentLimit: 3, plan: "free" });
  });
});
