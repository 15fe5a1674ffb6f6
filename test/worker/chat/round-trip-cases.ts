/** One request per chat route and auth/cache state, for round-trip-audit.test.ts. JWT auth costs no round trip. */
import { api } from "../helpers";
import type { AuditCase } from "../round-trip-audit.types";
import { adminHeaders, call, expectJson, llm, newUser, postStripe, sql, subscriptionEvent, type TestUser, waitFor } from "./helpers";
import { redisCommand, uniq } from "../helpers";
import { edgeStates } from "../edge";

const P = "/v1/chat";
const signedUp = async () => {
  const u = await newUser();
  await expectJson(await call(u, "GET", "/me"), 200);
  return u;
};
const conversation = async (u: TestUser) =>
  (await expectJson<{ id: string }>(await call(u, "POST", "/conversations", { title: "audit" }), 201)).id;
const message = async (u: TestUser, conv: string) =>
  (await expectJson<{ id: string }>(await call(u, "POST", `/conversations/${conv}/messages`, { role: "user", content: "hi" }), 201)).id;
const artifact = async (u: TestUser) =>
  (await expectJson<{ id: string }>(await call(u, "POST", "/artifacts", { type: "text", title: "audit" }), 201)).id;
const definition = async (u: TestUser, isPublic = false) =>
  (
    await expectJson<{ id: string }>(
      await call(u, "POST", "/agent-definitions", { name: "audit", description: "d", systemPrompt: "p", isPublic }),
      201,
    )
  ).id;
const instance = async (u: TestUser) =>
  (await expectJson<{ id: string }>(await call(u, "POST", "/agent-instances", { definitionId: await definition(u), name: "audit" }), 201))
    .id;
const tool = async () =>
  (
    await expectJson<{ id: string }>(
      await api(`${P}/agent-tools`, {
        method: "POST",
        headers: adminHeaders,
        body: JSON.stringify({ name: `audit_${crypto.randomUUID().slice(0, 8)}`, description: "d", schema: { type: "object" } }),
      }),
      201,
    )
  ).id;

/** warm: signed-up user, nothing cached that the route reads */
const warm = (prepare: (u: TestUser) => Promise<() => Promise<Response>>) => ({ warm: async () => prepare(await signedUp()) });
const as = (u: TestUser, method: string, path: string, body?: unknown) => () => call(u, method, path, body);

const waitForKey = (key: string) => waitFor(async () => (await redisCommand<number>("EXISTS", key)) === 1);

export const cases: AuditCase[] = [
  {
    route: `GET ${P}/me`,
    status: 200,
    states: {
      cold: async () => {
        const u = await newUser();
        return as(u, "GET", "/me");
      },
      warm: async () => {
        const u = await signedUp();
        await redisCommand("DEL", `chat:me:v1:${u.id}`);
        return as(u, "GET", "/me");
      },
      hot: async () => {
        const u = await signedUp();
        await waitForKey(`chat:me:v1:${u.id}`);
        return as(u, "GET", "/me");
      },
    },
  },
  {
    route: `POST ${P}/conversations`,
    status: 201,
    states: {
      cold: async () => as(await newUser(), "POST", "/conversations", { title: "a" }),
      ...warm(async (u) => as(u, "POST", "/conversations", { title: "a" })),
    },
  },
  {
    route: `GET ${P}/conversations`,
    status: 200,
    states: warm(async (u) => {
      await conversation(u);
      return as(u, "GET", "/conversations?q=aud");
    }),
  },
  {
    route: `GET ${P}/conversations/{id}`,
    status: 200,
    states: warm(async (u) => {
      const c = await conversation(u);
      await message(u, c);
      return as(u, "GET", `/conversations/${c}`);
    }),
  },
  {
    route: `PATCH ${P}/conversations/{id}`,
    status: 200,
    states: warm(async (u) => as(u, "PATCH", `/conversations/${await conversation(u)}`, { title: "b" })),
  },
  {
    route: `DELETE ${P}/conversations/{id}`,
    status: 204,
    states: warm(async (u) => {
      const c = await conversation(u);
      await message(u, c);
      return as(u, "DELETE", `/conversations/${c}`);
    }),
  },
  {
    route: `POST ${P}/conversations/{id}/messages`,
    status: 201,
    states: warm(async (u) => as(u, "POST", `/conversations/${await conversation(u)}/messages`, { role: "user", content: "x" })),
  },
  {
    route: `GET ${P}/conversations/{id}/messages`,
    status: 200,
    states: warm(async (u) => {
      const c = await conversation(u);
      for (let i = 0; i < 3; i++) await message(u, c);
      const first = await expectJson(await call(u, "GET", `/conversations/${c}/messages?limit=2`), 200);
      return as(u, "GET", `/conversations/${c}/messages?limit=2&cursor=${first.nextCursor}`);
    }),
  },
  {
    route: `POST ${P}/conversations/{id}/chat`,
    status: 200,
    states: warm(async (u) => {
      await llm.reset();
      const c = await conversation(u);
      return as(u, "POST", `/conversations/${c}/chat`, { content: "audit chat" });
    }),
    // the reply is stored after the stream ends; that write must not be counted against the next route
    settle: async () => {
      await waitFor(
        async () =>
          (
            await sql(
              "SELECT 1 FROM chat.messages WHERE role = 'assistant' AND content = 'Fake reply.' AND created_at > now() - interval '1 minute'",
            )
          ).length > 0,
      );
    },
  },
  {
    route: `POST ${P}/artifacts`,
    status: 201,
    states: warm(async (u) => {
      const m = await message(u, await conversation(u));
      return as(u, "POST", "/artifacts", { type: "code", title: "a", messageId: m });
    }),
  },
  {
    route: `GET ${P}/artifacts`,
    status: 200,
    states: warm(async (u) => {
      await artifact(u);
      return as(u, "GET", "/artifacts?type=text");
    }),
  },
  { route: `GET ${P}/artifacts/{id}`, status: 200, states: warm(async (u) => as(u, "GET", `/artifacts/${await artifact(u)}`)) },
  {
    route: `PATCH ${P}/artifacts/{id}`,
    status: 200,
    states: warm(async (u) => {
      const m = await message(u, await conversation(u));
      return as(u, "PATCH", `/artifacts/${await artifact(u)}`, { messageId: m });
    }),
  },
  { route: `DELETE ${P}/artifacts/{id}`, status: 204, states: warm(async (u) => as(u, "DELETE", `/artifacts/${await artifact(u)}`)) },
  { route: `GET ${P}/agent-tools`, status: 200, states: warm(async (u) => as(u, "GET", "/agent-tools")) },
  { route: `GET ${P}/agent-tools/{id}`, status: 200, states: warm(async (u) => as(u, "GET", `/agent-tools/${await tool()}`)) },
  {
    route: `POST ${P}/agent-tools`,
    status: 201,
    states: {
      admin: async () => () =>
        api(`${P}/agent-tools`, {
          method: "POST",
          headers: adminHeaders,
          body: JSON.stringify({ name: `audit_${crypto.randomUUID().slice(0, 8)}`, description: "d", schema: { type: "object" } }),
        }),
    },
  },
  {
    route: `PATCH ${P}/agent-tools/{id}`,
    status: 200,
    states: {
      admin: async () => {
        const id = await tool();
        return () => api(`${P}/agent-tools/${id}`, { method: "PATCH", headers: adminHeaders, body: JSON.stringify({ description: "e" }) });
      },
    },
  },
  {
    route: `GET ${P}/agent-definitions/public`,
    status: 200,
    states: {
      // a search nobody made yet: its page is in no cache, whichever generation this isolate knows
      cold: async () => {
        const q = uniq("audit");
        return () => api(`${P}/agent-definitions/public?q=${q}`);
      },
      hot: async () => {
        const q = uniq("audit");
        await (await api(`${P}/agent-definitions/public?q=${q}`)).arrayBuffer();
        await waitFor(async () => (await redisCommand<string[]>("KEYS", `chat:catalogue:v1:*:q=${q}`)).length === 1);
        return () => api(`${P}/agent-definitions/public?q=${q}`);
      },
      ...edgeStates(async () => `${P}/agent-definitions/public?q=${uniq("audit")}`),
    },
  },
  {
    route: `POST ${P}/agent-definitions`,
    status: 201,
    states: warm(async (u) => {
      const t = await tool();
      return as(u, "POST", "/agent-definitions", { name: "n", description: "d", systemPrompt: "p", tools: [t] });
    }),
  },
  {
    route: `GET ${P}/agent-definitions`,
    status: 200,
    states: warm(async (u) => {
      await definition(u);
      return as(u, "GET", "/agent-definitions");
    }),
  },
  {
    route: `GET ${P}/agent-definitions/{id}`,
    status: 200,
    states: warm(async (u) => as(u, "GET", `/agent-definitions/${await definition(u)}`)),
  },
  {
    route: `PATCH ${P}/agent-definitions/{id}`,
    status: 200,
    states: warm(async (u) => {
      const t = await tool();
      return as(u, "PATCH", `/agent-definitions/${await definition(u)}`, { tools: [t] });
    }),
  },
  {
    route: `DELETE ${P}/agent-definitions/{id}`,
    status: 204,
    states: warm(async (u) => as(u, "DELETE", `/agent-definitions/${await definition(u)}`)),
  },
  {
    route: `POST ${P}/agent-instances`,
    status: 201,
    states: warm(async (u) => {
      const d = await definition(u);
      return as(u, "POST", "/agent-instances", { definitionId: d, name: "i" });
    }),
  },
  {
    route: `GET ${P}/agent-instances`,
    status: 200,
    states: warm(async (u) => {
      await instance(u);
      return as(u, "GET", "/agent-instances?status=active");
    }),
  },
  { route: `GET ${P}/agent-instances/{id}`, status: 200, states: warm(async (u) => as(u, "GET", `/agent-instances/${await instance(u)}`)) },
  {
    route: `PATCH ${P}/agent-instances/{id}`,
    status: 200,
    states: warm(async (u) => as(u, "PATCH", `/agent-instances/${await instance(u)}`, { name: "j" })),
  },
  {
    route: `POST ${P}/agent-instances/{id}/pause`,
    status: 200,
    states: warm(async (u) => as(u, "POST", `/agent-instances/${await instance(u)}/pause`)),
  },
  {
    route: `POST ${P}/agent-instances/{id}/resume`,
    status: 200,
    states: warm(async (u) => {
      const i = await instance(u);
      await expectJson(await call(u, "POST", `/agent-instances/${i}/pause`), 200);
      return as(u, "POST", `/agent-instances/${i}/resume`);
    }),
  },
  {
    route: `POST ${P}/agent-instances/{id}/archive`,
    status: 200,
    states: warm(async (u) => as(u, "POST", `/agent-instances/${await instance(u)}/archive`)),
  },
  {
    route: `POST ${P}/workflows`,
    status: 202,
    states: warm(async (u) => {
      await llm.reset();
      const i = await instance(u);
      return as(u, "POST", "/workflows", { agentInstanceId: i, goal: "audit goal" });
    }),
    settle: async () => {
      await waitFor(
        async () => (await sql("SELECT 1 FROM chat.workflows WHERE goal = 'audit goal' AND status IN ('pending', 'running')")).length === 0,
        15_000,
      );
    },
  },
  {
    route: `GET ${P}/workflows`,
    status: 200,
    states: warm(async (u) => {
      await sql(`INSERT INTO chat.workflows (user_id, workflow_id, status, goal) VALUES ($1, 'chat-wf-audit', 'completed', 'g')`, [u.id]);
      return as(u, "GET", "/workflows?status=completed");
    }),
  },
  {
    route: `GET ${P}/workflows/{id}`,
    status: 200,
    states: warm(async (u) => {
      const [w] = await sql<{ id: string }>(
        `INSERT INTO chat.workflows (user_id, workflow_id, status, goal) VALUES ($1, 'chat-wf-audit', 'completed', 'g') RETURNING id`,
        [u.id],
      );
      return as(u, "GET", `/workflows/${w!.id}`);
    }),
  },
  {
    route: `POST ${P}/webhooks/stripe`,
    status: 200,
    states: {
      signed: async () => {
        const u = await signedUp();
        const event = subscriptionEvent("customer.subscription.created", {
          id: `sub_${crypto.randomUUID().slice(0, 8)}`,
          customer: "cus_audit",
          status: "active",
          current_period_end: Math.floor(Date.now() / 1000) + 86_400,
          metadata: { userId: u.id, plan: "pro" },
        });
        return () => postStripe(event);
      },
    },
  },
];
