/**
 * One request per marketing route, ready to be measured: used by marketing-roundtrips.test.ts (exact
 * counts) and by round-trip-audit.test.ts (every route of the API against its budget).
 */
import { ADMIN, call, createClient, createRun, createUser, json, linkChannel, linkCode, type TestUser, upsertSkill } from "./helpers";
import { api, uniq } from "../helpers";
import { callWith, capturingQueue } from "./llm";

export const skill = uniq("rt-skill");
let skillReady: Promise<unknown> | undefined;
export const ensureSkill = () => (skillReady ??= upsertSkill(skill, { triggerKeywords: ["headline"] }));

/** A skill of its own for the file routes, so the PUT /skills/{name} case never moves its folder. */
const fileSkill = uniq("rt-files");
let fileSkillReady: Promise<unknown> | undefined;
const ensureFileSkill = () => (fileSkillReady ??= upsertSkill(fileSkill, { s3Key: `skills/${fileSkill}/` }));
/** A raw-body file request (the file routes take bytes, not JSON). */
const fileCall = (method: string, path: string, token: string, body?: string) =>
  api(`/v1/marketing${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "text/markdown" }) },
    body,
  });
async function skillFile() {
  await ensureFileSkill();
  const file = `${uniq("f")}.md`;
  await json(await fileCall("PUT", `/skills/${fileSkill}/files/${file}`, ADMIN, "# rt"), 201);
  return file;
}
async function clientFile(u: TestUser) {
  const c = await createClient(u, uniq("Rt"));
  await json(await fileCall("PUT", `/clients/${c.id}/context/files/brand.md`, u.key, "# rt"), 201);
  return c.id as string;
}

async function newOutput(u: TestUser) {
  const run = await createRun(u, skill);
  return json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# rt" } }), 201);
}
async function runIn(u: TestUser, status: "queued" | "running") {
  const run = await createRun(u, skill);
  if (status === "running") await json(await call("POST", `/runs/${run.id}/start`, { token: u.key }), 200);
  return run.id as string;
}

export type Prepare = (u: TestUser) => Promise<() => Promise<Response>>;
export interface Case {
  route: string;
  status: number;
  admin?: boolean;
  prepare: Prepare;
  redisExtra?: number;
  pgExtra?: number;
}

export const cases: Case[] = [
  { route: "POST /users", status: 201, admin: true, prepare: async () => () => call("POST", "/users", { token: ADMIN, body: {} }) },
  {
    route: "GET /users/by-email",
    status: 200,
    admin: true,
    prepare: async () => {
      const email = `${uniq("rt")}@example.com`;
      await createUser(email);
      return () => call("GET", `/users/by-email?email=${encodeURIComponent(email)}`, { token: ADMIN });
    },
  },
  { route: "GET /users/{id}", status: 200, admin: true, prepare: async (u) => () => call("GET", `/users/${u.id}`, { token: ADMIN }) },
  {
    route: "GET /channels/lookup",
    status: 200,
    admin: true,
    prepare: async (u) => {
      const id = uniq("tg");
      await linkChannel(u, "telegram", id);
      return () => call("GET", `/channels/lookup?channel=telegram&channelUserId=${id}`, { token: ADMIN });
    },
  },
  {
    route: "PUT /skills/{name}",
    status: 200,
    admin: true,
    prepare: async () => {
      await ensureSkill();
      return () =>
        call("PUT", `/skills/${skill}`, {
          token: ADMIN,
          body: { description: "d", type: "simple", s3Key: "s/", triggerKeywords: ["headline"] },
        });
    },
  },
  { route: "GET /me", status: 200, prepare: async (u) => () => call("GET", "/me", { token: u.key }) },
  {
    route: "POST /me/api-key/rotate",
    status: 200,
    redisExtra: 1,
    prepare: async (u) => () => call("POST", "/me/api-key/rotate", { token: u.key }),
  },
  // The code is taken from Redis (GETDEL) before the one upsert.
  {
    route: "POST /me/channels",
    status: 201,
    redisExtra: 1,
    prepare: async (u) => {
      const code = await linkCode("web", uniq("w"));
      return () => call("POST", "/me/channels", { token: u.key, body: { code } });
    },
  },
  // Redis only: one SET of the code's digest.
  {
    route: "POST /channels/link-codes",
    status: 201,
    admin: true,
    pgExtra: -1,
    redisExtra: 1,
    prepare: async () => () =>
      call("POST", "/channels/link-codes", { token: ADMIN, body: { channel: "telegram", channelUserId: uniq("tg") } }),
  },
  {
    route: "GET /me/channels/{id}",
    status: 200,
    prepare: async (u) => {
      const link = await linkChannel(u, "web", uniq("w"));
      return () => call("GET", `/me/channels/${link.id}`, { token: u.key });
    },
  },
  {
    route: "DELETE /me/channels/{id}",
    status: 204,
    prepare: async (u) => {
      const link = await linkChannel(u, "web", uniq("w"));
      return () => call("DELETE", `/me/channels/${link.id}`, { token: u.key });
    },
  },
  {
    route: "POST /clients",
    status: 201,
    prepare: async (u) => () => call("POST", "/clients", { token: u.key, body: { name: uniq("Rt") } }),
  },
  {
    route: "GET /clients",
    status: 200,
    prepare: async (u) => {
      await createClient(u, uniq("Rt"));
      return () => call("GET", "/clients?q=rt", { token: u.key });
    },
  },
  {
    route: "GET /clients/{id}",
    status: 200,
    prepare: async (u) => {
      const c = await createClient(u, uniq("Rt"));
      return () => call("GET", `/clients/${c.id}`, { token: u.key });
    },
  },
  {
    route: "GET /clients/by-slug/{slug}",
    status: 200,
    prepare: async (u) => {
      const c = await createClient(u, uniq("Rt"));
      return () => call("GET", `/clients/by-slug/${c.slug}`, { token: u.key });
    },
  },
  {
    route: "PATCH /clients/{id}",
    status: 200,
    prepare: async (u) => {
      const c = await createClient(u, uniq("Rt"));
      return () => call("PATCH", `/clients/${c.id}`, { token: u.key, body: { slug: uniq("moved") } });
    },
  },
  {
    route: "DELETE /clients/{id}",
    status: 204,
    prepare: async (u) => {
      const c = await createClient(u, uniq("Rt"));
      return () => call("DELETE", `/clients/${c.id}`, { token: u.key });
    },
  },
  {
    route: "POST /skills/match",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      return () => call("POST", "/skills/match", { token: u.key, body: { message: "a headline please" } });
    },
  },
  {
    route: "GET /skills",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      return () => call("GET", "/skills?type=simple", { token: u.key });
    },
  },
  {
    route: "GET /skills/{name}",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      return () => call("GET", `/skills/${skill}`, { token: u.key });
    },
  },
  {
    route: "GET /skills/{name}/feedback-summary",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      return () => call("GET", `/skills/${skill}/feedback-summary?days=7`, { token: u.key });
    },
  },
  {
    route: "POST /runs",
    status: 201,
    redisExtra: 1,
    prepare: async (u) => {
      await ensureSkill();
      return () => call("POST", "/runs", { token: u.key, body: { skill, userMessage: "go" } });
    },
  },
  {
    route: "GET /runs",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      await newOutput(u);
      return () => call("GET", `/runs?skill=${skill}&status=queued`, { token: u.key });
    },
  },
  {
    route: "GET /runs/{id}",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("GET", `/runs/${o.runId}`, { token: u.key });
    },
  },
  {
    route: "POST /runs/{id}/start",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const id = await runIn(u, "queued");
      return () => call("POST", `/runs/${id}/start`, { token: u.key });
    },
  },
  {
    route: "POST /runs/{id}/complete",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const id = await runIn(u, "running");
      return () => call("POST", `/runs/${id}/complete`, { token: u.key, body: { tokensInput: 1, tokensOutput: 1 } });
    },
  },
  {
    route: "POST /runs/{id}/fail",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const id = await runIn(u, "running");
      return () => call("POST", `/runs/${id}/fail`, { token: u.key, body: { errorMessage: "boom" } });
    },
  },
  {
    // The job goes to a capturing JOBS binding: on the real queue its consumer would run (and query Postgres) inside the count.
    route: "POST /runs/{id}/execute",
    status: 202,
    prepare: async (u) => {
      await ensureSkill();
      const id = await runIn(u, "queued");
      return () => callWith({ JOBS: capturingQueue().binding }, "POST", `/runs/${id}/execute`, { token: u.key });
    },
  },
  {
    route: "POST /runs/{id}/cancel",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const id = await runIn(u, "queued");
      return () => call("POST", `/runs/${id}/cancel`, { token: u.key });
    },
  },
  {
    route: "POST /runs/{id}/outputs",
    status: 201,
    redisExtra: 1,
    pgExtra: 1,
    prepare: async (u) => {
      await ensureSkill();
      const r = await createRun(u, skill);
      return () => call("POST", `/runs/${r.id}/outputs`, { token: u.key, body: { content: "# x" } });
    },
  },
  {
    route: "GET /outputs/{id}",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("GET", `/outputs/${o.id}`, { token: u.key });
    },
  },
  {
    route: "GET /outputs/by-key",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("GET", `/outputs/by-key?key=${encodeURIComponent(o.s3Key)}`, { token: u.key });
    },
  },
  {
    route: "DELETE /outputs/{id}",
    status: 204,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("DELETE", `/outputs/${o.id}`, { token: u.key });
    },
  },
  {
    route: "GET /feedback",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      await json(await call("POST", `/outputs/${o.id}/feedback`, { token: u.key, body: { overallScore: 4, source: "web" } }), 201);
      return () => call("GET", "/feedback?minScore=3&from=2026-01-01T00:00:00Z", { token: u.key });
    },
  },
  {
    route: "GET /outputs/{id}/content",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("GET", `/outputs/${o.id}/content`, { token: u.key });
    },
  },
  {
    route: "POST /outputs/{id}/feedback",
    status: 201,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      return () => call("POST", `/outputs/${o.id}/feedback`, { token: u.key, body: { overallScore: 4, source: "web" } });
    },
  },
  {
    route: "GET /outputs/{id}/feedback",
    status: 200,
    prepare: async (u) => {
      await ensureSkill();
      const o = await newOutput(u);
      await json(await call("POST", `/outputs/${o.id}/feedback`, { token: u.key, body: { overallScore: 4, source: "web" } }), 201);
      return () => call("GET", `/outputs/${o.id}/feedback`, { token: u.key });
    },
  },
  // Files in R2: one read of the skill's folder or the client's prefix, then R2 only.
  {
    route: "PUT /skills/{name}/files/{file}",
    status: 201,
    admin: true,
    prepare: async () => {
      await ensureFileSkill();
      return () => fileCall("PUT", `/skills/${fileSkill}/files/${uniq("f")}.md`, ADMIN, "# rt");
    },
  },
  {
    route: "GET /skills/{name}/files",
    status: 200,
    admin: true,
    prepare: async () => {
      await skillFile();
      return () => fileCall("GET", `/skills/${fileSkill}/files?limit=5`, ADMIN);
    },
  },
  {
    route: "GET /skills/{name}/files/{file}",
    status: 200,
    admin: true,
    prepare: async () => {
      const file = await skillFile();
      return () => fileCall("GET", `/skills/${fileSkill}/files/${file}`, ADMIN);
    },
  },
  {
    route: "DELETE /skills/{name}/files/{file}",
    status: 204,
    admin: true,
    prepare: async () => {
      const file = await skillFile();
      return () => fileCall("DELETE", `/skills/${fileSkill}/files/${file}`, ADMIN);
    },
  },
  {
    route: "PUT /clients/{id}/context/files/{file}",
    status: 201,
    prepare: async (u) => {
      const c = await createClient(u, uniq("Rt"));
      return () => fileCall("PUT", `/clients/${c.id}/context/files/brand.md`, u.key, "# rt");
    },
  },
  {
    route: "GET /clients/{id}/context/files",
    status: 200,
    prepare: async (u) => {
      const id = await clientFile(u);
      return () => fileCall("GET", `/clients/${id}/context/files`, u.key);
    },
  },
  {
    route: "GET /clients/{id}/context/files/{file}",
    status: 200,
    prepare: async (u) => {
      const id = await clientFile(u);
      return () => fileCall("GET", `/clients/${id}/context/files/brand.md`, u.key);
    },
  },
  {
    route: "DELETE /clients/{id}/context/files/{file}",
    status: 204,
    prepare: async (u) => {
      const id = await clientFile(u);
      return () => fileCall("DELETE", `/clients/${id}/context/files/brand.md`, u.key);
    },
  },
];
