/** Marketing routes in the bench: a read by key, a paginated search, a create and a status transition. */
import { randomUUID } from "node:crypto";
import type { BenchContext, Scenario } from "../lib/context.js";

interface Fixture {
  key: string;
  userId: string;
  clientId: string;
  skillId: string;
}
let fixture: Promise<Fixture> | undefined;

async function post(ctx: BenchContext, path: string, token: string, body: unknown, method = "POST") {
  const res = await fetch(`${ctx.worker.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

/** One user with 300 clients and one skill, made through the API like a real tenant. */
function setup(ctx: BenchContext): Promise<Fixture> {
  return (fixture ??= (async () => {
    const issued = await post(ctx, "/v1/marketing/users", ctx.adminToken, {});
    await post(
      ctx,
      "/v1/marketing/skills/bench-skill",
      ctx.adminToken,
      { description: "bench", type: "simple", s3Key: "skills/bench/", triggerKeywords: ["bench"] },
      "PUT",
    );
    const first = await post(ctx, "/v1/marketing/clients", issued.apiKey, { name: "Acme Bench 0" });
    await ctx.pool.query(
      `INSERT INTO marketing.clients (user_id, name, slug, s3_prefix)
       SELECT $1, 'Client ' || i || CASE WHEN i % 10 = 0 THEN ' acme' ELSE '' END, 'client-' || i, 'clients/client-' || i || '/'
       FROM generate_series(1, 300) i`,
      [issued.user.id],
    );
    const skill = await ctx.pool.query("SELECT id FROM marketing.skills WHERE name = 'bench-skill'");
    return { key: issued.apiKey, userId: issued.user.id, clientId: first.id, skillId: skill.rows[0].id };
  })());
}

const auth = (f: Fixture) => ({ authorization: `Bearer ${f.key}` });

/** A read by key as a tenant makes it, for workloads that run beside other work (sweeps). */
export async function marketingRead(ctx: BenchContext) {
  const f = await setup(ctx);
  return { path: `/v1/marketing/clients/${f.clientId}`, headers: auth(f) };
}

export const marketingScenarios: Scenario[] = [
  {
    name: "postgres read by key",
    route: "GET /v1/marketing/clients/{id}",
    async setup(ctx) {
      const f = await setup(ctx);
      const req = { path: `/v1/marketing/clients/${f.clientId}`, headers: auth(f) };
      return { worker: req, conventional: req };
    },
  },
  {
    name: "paginated list with search",
    route: "GET /v1/marketing/clients",
    async setup(ctx) {
      const f = await setup(ctx);
      const req = { path: "/v1/marketing/clients?q=acme&pageSize=20&sortBy=createdAt", headers: auth(f) };
      return { worker: req, conventional: { ...req, path: "/v1/marketing/clients?q=acme&pageSize=20" } };
    },
  },
  {
    name: "create",
    route: "POST /v1/marketing/clients",
    async setup(ctx) {
      const f = await setup(ctx);
      const make = (server: string) => () => {
        const slug = `${server}-${randomUUID()}`;
        return { method: "POST", path: "/v1/marketing/clients", headers: auth(f), body: JSON.stringify({ name: `Bench ${slug}`, slug }) };
      };
      return { worker: make("w"), conventional: make("c") };
    },
  },
  {
    name: "status transition",
    route: "POST /v1/marketing/runs/{id}/start",
    async setup(ctx) {
      const f = await setup(ctx);
      const n = 3000;
      const ids = async () =>
        (
          await ctx.pool.query<{ id: string }>(
            `INSERT INTO marketing.runs (user_id, skill_id, user_message, status)
         SELECT $1, $2, 'bench', 'queued' FROM generate_series(1, $3) RETURNING id`,
            [f.userId, f.skillId, n],
          )
        ).rows.map((r) => r.id);
      const [forWorker, forConventional] = [await ids(), await ids()];
      const take = (list: string[]) => () => ({
        method: "POST",
        path: `/v1/marketing/runs/${list.pop() ?? randomUUID()}/start`,
        headers: auth(f),
      });
      return { worker: take(forWorker), conventional: take(forConventional), amount: 1500 };
    },
  },
];
