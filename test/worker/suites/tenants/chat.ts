/**
 * Chat's objects for the isolation matrix: tenant A's conversation with a message, an artifact on that message,
 * a private agent definition, an instance of it and a finished workflow of the instance.
 */
import { call, expectJson, newUser, sql, type TestUser } from "../../chat/helpers";
import type { Tenant } from "../principals";
import type { TenantModule } from "./types";

const tenant = (u: TestUser): Tenant => ({
  module: "chat",
  subject: u.id,
  token: u.token,
  headers: { Authorization: `Bearer ${u.token}` },
});
const signedUp = async () => {
  const u = await newUser();
  await expectJson(await call(u, "GET", "/me"), 200);
  return u;
};
const id = async (res: Response) => (await expectJson<{ id: string }>(res, 201)).id;

export const chat: TenantModule = {
  module: "chat",
  async seed() {
    const a = await signedUp();
    const b = await signedUp();
    const conversation = await id(await call(a, "POST", "/conversations", { title: "A's conversation" }));
    const message = await id(await call(a, "POST", `/conversations/${conversation}/messages`, { role: "user", content: "A's secret" }));
    const artifact = await id(await call(a, "POST", "/artifacts", { type: "text", title: "A's artifact", messageId: message }));
    const definition = await id(
      await call(a, "POST", "/agent-definitions", { name: "A's agent", description: "d", systemPrompt: "A's prompt", isPublic: false }),
    );
    const instance = await id(await call(a, "POST", "/agent-instances", { definitionId: definition, name: "A's instance" }));
    const [wf] = await sql<{ id: string }>(
      `INSERT INTO chat.workflows (user_id, agent_instance_id, workflow_id, status, goal, steps)
       VALUES ($1, $2, 'chat-wf-isolation', 'completed', 'A''s goal', '[]') RETURNING id`,
      [a.id, instance],
    );
    const bArtifact = await id(await call(b, "POST", "/artifacts", { type: "text", title: "B's artifact" }));
    return {
      a: tenant(a),
      b: tenant(b),
      ids: { conversation, message, artifact, definition, instance, workflow: wf!.id },
      own: { artifact: bArtifact },
    };
  },
  cases: {
    "GET /v1/chat/conversations/{id}": (s) => [{ kind: "path", params: { id: s.ids.conversation! } }],
    "PATCH /v1/chat/conversations/{id}": (s) => [{ kind: "path", params: { id: s.ids.conversation! }, body: { title: "B" } }],
    "DELETE /v1/chat/conversations/{id}": (s) => [{ kind: "path", params: { id: s.ids.conversation! } }],
    "POST /v1/chat/conversations/{id}/messages": (s) => [
      { kind: "path", params: { id: s.ids.conversation! }, body: { role: "user", content: "B" } },
    ],
    "GET /v1/chat/conversations/{id}/messages": (s) => [{ kind: "path", params: { id: s.ids.conversation! } }],
    "POST /v1/chat/conversations/{id}/chat": (s) => [{ kind: "path", params: { id: s.ids.conversation! }, body: { content: "B" } }],
    "POST /v1/chat/artifacts": (s) => [{ kind: "reference", body: { type: "text", title: "B's", messageId: s.ids.message } }],
    "GET /v1/chat/artifacts": (s) => [{ kind: "filter", query: { messageId: s.ids.message! } }],
    "GET /v1/chat/artifacts/{id}": (s) => [{ kind: "path", params: { id: s.ids.artifact! } }],
    "PATCH /v1/chat/artifacts/{id}": (s) => [
      { kind: "path", params: { id: s.ids.artifact! }, body: { title: "B" } },
      // B's own artifact pointed at A's message
      { kind: "reference", params: { id: s.own.artifact! }, body: { messageId: s.ids.message } },
    ],
    "DELETE /v1/chat/artifacts/{id}": (s) => [{ kind: "path", params: { id: s.ids.artifact! } }],
    "GET /v1/chat/agent-definitions/{id}": (s) => [{ kind: "path", params: { id: s.ids.definition! } }],
    "PATCH /v1/chat/agent-definitions/{id}": (s) => [{ kind: "path", params: { id: s.ids.definition! }, body: { name: "B" } }],
    "DELETE /v1/chat/agent-definitions/{id}": (s) => [{ kind: "path", params: { id: s.ids.definition! } }],
    "POST /v1/chat/agent-instances": (s) => [
      { kind: "reference", body: { definitionId: s.ids.definition, name: "B at A's private agent" } },
    ],
    "GET /v1/chat/agent-instances/{id}": (s) => [{ kind: "path", params: { id: s.ids.instance! } }],
    "PATCH /v1/chat/agent-instances/{id}": (s) => [{ kind: "path", params: { id: s.ids.instance! }, body: { name: "B" } }],
    "POST /v1/chat/agent-instances/{id}/pause": (s) => [{ kind: "path", params: { id: s.ids.instance! } }],
    "POST /v1/chat/agent-instances/{id}/resume": (s) => [{ kind: "path", params: { id: s.ids.instance! } }],
    "POST /v1/chat/agent-instances/{id}/archive": (s) => [{ kind: "path", params: { id: s.ids.instance! } }],
    "POST /v1/chat/workflows": (s) => [{ kind: "reference", body: { agentInstanceId: s.ids.instance, goal: "B's goal" } }],
    "GET /v1/chat/workflows": (s) => [{ kind: "filter", query: { agentInstanceId: s.ids.instance! } }],
    "GET /v1/chat/workflows/{id}": (s) => [{ kind: "path", params: { id: s.ids.workflow! } }],
  },
  exempt: {
    "GET /v1/chat/agent-tools/{id}": "agent tools are a shared, admin-managed catalogue: every user reads every tool",
    "PATCH /v1/chat/agent-tools/{id}": "admin only (ADMIN_TOKEN or an admin session): tool catalogue",
  },
};
