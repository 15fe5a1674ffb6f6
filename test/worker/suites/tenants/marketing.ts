/** Marketing's objects for the isolation matrix: tenant A's client, run (pointing at the client), output, feedback and channel link. */
import { uniq } from "../../helpers";
import { call, createClient, createRun, createUser, json, linkChannel, type TestUser, upsertSkill } from "../../marketing/helpers";
import { bearerHeaders } from "../send";
import type { Tenant } from "../principals";
import type { TenantModule } from "./types";

const tenant = (u: TestUser): Tenant => ({ module: "marketing", subject: u.id, token: u.key, headers: bearerHeaders(u.key) });

export const marketing: TenantModule = {
  module: "marketing",
  async seed() {
    const skill = uniq("iso-skill");
    await upsertSkill(skill, { triggerKeywords: ["isolation"] });
    const a = await createUser();
    const b = await createUser();
    const client = await createClient(a, uniq("Iso"));
    const run = await createRun(a, skill, { clientId: client.id });
    const output = await json(await call("POST", `/runs/${run.id}/outputs`, { token: a.key, body: { content: "# A's output" } }), 201);
    await json(await call("POST", `/outputs/${output.id}/feedback`, { token: a.key, body: { overallScore: 4, source: "web" } }), 201);
    const channel = await linkChannel(a, "web", uniq("w"));
    return {
      a: tenant(a),
      b: tenant(b),
      ids: { client: client.id, slug: client.slug, run: run.id, output: output.id, s3Key: output.s3Key, channel: channel.id },
      // the skill is the shared catalogue entry A's run uses, not A's
      own: { skill },
    };
  },
  cases: {
    "GET /v1/marketing/me/channels/{id}": (s) => [{ kind: "path", params: { id: s.ids.channel! } }],
    "DELETE /v1/marketing/me/channels/{id}": (s) => [{ kind: "path", params: { id: s.ids.channel! } }],
    "GET /v1/marketing/clients/by-slug/{slug}": (s) => [{ kind: "path", params: { slug: s.ids.slug! } }],
    "GET /v1/marketing/clients/{id}": (s) => [{ kind: "path", params: { id: s.ids.client! } }],
    "PATCH /v1/marketing/clients/{id}": (s) => [{ kind: "path", params: { id: s.ids.client! }, body: { description: "B was here" } }],
    "DELETE /v1/marketing/clients/{id}": (s) => [{ kind: "path", params: { id: s.ids.client! } }],
    "POST /v1/marketing/runs": (s) => [
      { kind: "reference", body: { skill: s.own.skill, clientId: s.ids.client, userMessage: "B's run at A's client" } },
    ],
    "GET /v1/marketing/runs/{id}": (s) => [{ kind: "path", params: { id: s.ids.run! } }],
    "POST /v1/marketing/runs/{id}/start": (s) => [{ kind: "path", params: { id: s.ids.run! } }],
    "POST /v1/marketing/runs/{id}/complete": (s) => [
      { kind: "path", params: { id: s.ids.run! }, body: { tokensInput: 1, tokensOutput: 1 } },
    ],
    "POST /v1/marketing/runs/{id}/fail": (s) => [{ kind: "path", params: { id: s.ids.run! }, body: { errorMessage: "B" } }],
    "POST /v1/marketing/runs/{id}/cancel": (s) => [{ kind: "path", params: { id: s.ids.run! } }],
    "POST /v1/marketing/runs/{id}/execute": (s) => [{ kind: "path", params: { id: s.ids.run! } }],
    "POST /v1/marketing/runs/{id}/outputs": (s) => [{ kind: "path", params: { id: s.ids.run! }, body: { content: "# B's output" } }],
    "GET /v1/marketing/outputs/by-key": (s) => [{ kind: "path", query: { key: s.ids.s3Key! } }],
    "GET /v1/marketing/outputs/{id}": (s) => [{ kind: "path", params: { id: s.ids.output! } }],
    "DELETE /v1/marketing/outputs/{id}": (s) => [{ kind: "path", params: { id: s.ids.output! } }],
    "GET /v1/marketing/outputs/{id}/content": (s) => [{ kind: "path", params: { id: s.ids.output! } }],
    "POST /v1/marketing/outputs/{id}/feedback": (s) => [
      { kind: "path", params: { id: s.ids.output! }, body: { overallScore: 1, source: "web" } },
    ],
    "GET /v1/marketing/outputs/{id}/feedback": (s) => [{ kind: "path", params: { id: s.ids.output! } }],
    // the skill is a shared catalogue entry; what must stay private is A's feedback counted in its summary
    "GET /v1/marketing/skills/{name}/feedback-summary": (s) => [
      {
        kind: "filter",
        params: { name: s.own.skill! },
        leaks: (b) => (b?.count === 0 ? null : `B's summary counts ${b?.count} feedback rows`),
      },
    ],
  },
  exempt: {
    "GET /v1/marketing/users/{id}": "admin only (ADMIN_TOKEN): the operator looks any user up",
    "GET /v1/marketing/users/by-email": "admin only (ADMIN_TOKEN)",
    "GET /v1/marketing/channels/lookup": "admin only (ADMIN_TOKEN): the bot resolves a channel identity to a user",
    "POST /v1/marketing/channels/link-codes": "admin only (ADMIN_TOKEN): the bot asks for a one-time code",
    "GET /v1/marketing/skills/{name}": "skills are a shared, admin-managed catalogue: every user reads every skill",
    "PUT /v1/marketing/skills/{name}": "admin only (ADMIN_TOKEN): skill catalogue upsert",
  },
};
