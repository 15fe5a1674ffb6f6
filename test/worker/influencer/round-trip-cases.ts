/**
 * One request per influencer route and state, for round-trip-audit.test.ts. States: `warm` (a user with a
 * session JWT; authentication costs no round trip, system configurations in Redis), `config-cold` (the
 * configuration snapshot not in Redis), `admin` (the admin token), `jwt-admin-warm`/`jwt-admin-cold` (an
 * admin's session JWT with the is_admin flag in Redis or not), `hot` (answered from Redis), `signed` (QStash or
 * Svix callbacks).
 */
import { CONFIG_CACHE_KEY } from "../../../functions/influencer/system-config";
import { adminFlagKey } from "../../../functions/influencer/auth";
import { api, redisCommand, sql } from "../helpers";
import type { AuditCase } from "../round-trip-audit.types";
import { call, campaignWithJob, deliver, json, svixHeaders, token, uid, user, word } from "./helpers";

const P = "/v1/influencer";
const configWarm = async () => {
  await (await call("GET", "/admin/config", { admin: true })).arrayBuffer();
};
const configCold = () => redisCommand("DEL", CONFIG_CACHE_KEY);

async function jwtAdmin(cached: boolean) {
  const u = await user();
  await sql("UPDATE influencer.user_profiles SET is_admin = true WHERE user_id = $1", [u.id]);
  await redisCommand("DEL", adminFlagKey(u.id));
  if (cached) await (await call("GET", "/admin/admins", { token: u.token })).arrayBuffer();
  return u;
}

const withJob = async (opts: { n?: number } = {}) => {
  const u = await user();
  return { u, ...(await campaignWithJob(u, { n: opts.n ?? 3, pageSize: 2 })) };
};
const draft = async () => {
  const u = await user();
  const c = await json(await call("POST", "/campaigns", { token: u.token, body: { name: word("rt"), searchType: "keyword" } }), 201);
  return { u, c };
};
const campaignBody = () => ({ name: word("rt"), searchType: "keyword", job: { platform: "TikTok", keywords: [word()] } });
const readMe = () =>
  sql(
    "INSERT INTO influencer.system_configurations (category, key, value, value_type) VALUES ('rt', 'read_me', '1', 'number') ON CONFLICT DO NOTHING",
  );
const configKey = () => `rt_${crypto.randomUUID().slice(0, 8).replace(/-/g, "")}`;

export const cases: AuditCase[] = [
  {
    route: `GET ${P}/me`,
    status: 200,
    states: {
      warm: async () => {
        const t = await token(uid());
        return () => call("GET", "/me", { token: t });
      },
    },
  },
  {
    route: `PATCH ${P}/me/onboarding`,
    status: 200,
    states: {
      warm: async () => {
        const u = await user();
        return () => call("PATCH", "/me/onboarding", { token: u.token, body: { step: "info_captured", fullName: "A", businessName: "B" } });
      },
    },
  },
  {
    route: `GET ${P}/me/trial`,
    status: 200,
    states: {
      warm: async () => {
        const u = await user();
        return () => call("GET", "/me/trial", { token: u.token });
      },
    },
  },
  {
    route: `POST ${P}/me/trial/start`,
    status: 200,
    states: {
      warm: async () => {
        const u = await user();
        await configWarm();
        return () => call("POST", "/me/trial/start", { token: u.token });
      },
      "config-cold": async () => {
        const u = await user();
        await configCold();
        return () => call("POST", "/me/trial/start", { token: u.token });
      },
    },
  },
  {
    route: `POST ${P}/me/trial/cancel`,
    status: 200,
    states: {
      warm: async () => {
        const u = await user();
        await json(await call("POST", "/me/trial/start", { token: u.token }), 200);
        return () => call("POST", "/me/trial/cancel", { token: u.token });
      },
    },
  },
  {
    route: `POST ${P}/campaigns`,
    status: 201,
    states: {
      warm: async () => {
        const u = await user();
        await configWarm();
        return () => call("POST", "/campaigns", { token: u.token, body: campaignBody() });
      },
      "config-cold": async () => {
        const u = await user();
        await configCold();
        return () => call("POST", "/campaigns", { token: u.token, body: campaignBody() });
      },
      "no-job": async () => {
        const u = await user();
        return () => call("POST", "/campaigns", { token: u.token, body: { name: "d", searchType: "similar" } });
      },
    },
  },
  {
    route: `GET ${P}/campaigns`,
    status: 200,
    states: {
      warm: async () => {
        const { u } = await draft();
        return () => call("GET", "/campaigns?q=rt&status=draft", { token: u.token });
      },
    },
  },
  {
    route: `GET ${P}/campaigns/{id}`,
    status: 200,
    states: {
      warm: async () => {
        const { u, campaign } = await withJob();
        return () => call("GET", `/campaigns/${campaign.id}`, { token: u.token });
      },
    },
  },
  {
    route: `PATCH ${P}/campaigns/{id}`,
    status: 200,
    states: {
      warm: async () => {
        const { u, c } = await draft();
        return () => call("PATCH", `/campaigns/${c.id}`, { token: u.token, body: { status: "active", name: "x" } });
      },
    },
  },
  {
    route: `DELETE ${P}/campaigns/{id}`,
    status: 204,
    states: {
      warm: async () => {
        const { u, campaign } = await withJob();
        return () => call("DELETE", `/campaigns/${campaign.id}`, { token: u.token });
      },
    },
  },
  {
    route: `POST ${P}/campaigns/{id}/jobs`,
    status: 201,
    states: {
      warm: async () => {
        const { u, c } = await draft();
        await configWarm();
        return () => call("POST", `/campaigns/${c.id}/jobs`, { token: u.token, body: { platform: "TikTok", keywords: [word()] } });
      },
      "config-cold": async () => {
        const { u, c } = await draft();
        await configCold();
        return () => call("POST", `/campaigns/${c.id}/jobs`, { token: u.token, body: { platform: "TikTok", keywords: [word()] } });
      },
    },
  },
  {
    route: `GET ${P}/campaigns/{id}/jobs`,
    status: 200,
    states: {
      warm: async () => {
        const { u, campaign } = await withJob();
        return () => call("GET", `/campaigns/${campaign.id}/jobs`, { token: u.token });
      },
    },
  },
  {
    route: `GET ${P}/jobs/{id}`,
    status: 200,
    states: {
      warm: async () => {
        const { u, job } = await withJob();
        return () => call("GET", `/jobs/${job.id}`, { token: u.token });
      },
    },
  },
  {
    route: `GET ${P}/jobs/{id}/results`,
    status: 200,
    states: {
      warm: async () => {
        const { u, job } = await withJob();
        await json(await deliver({ jobId: job.id, cursor: 0 }), 200);
        return () => call("GET", `/jobs/${job.id}/results`, { token: u.token });
      },
    },
  },
  {
    route: `POST ${P}/jobs/{id}/process`,
    status: 200,
    states: {
      signed: async () => {
        const { job } = await withJob();
        await configWarm();
        return () => deliver({ jobId: job.id, cursor: 0 });
      },
      "config-cold": async () => {
        const { job } = await withJob();
        await configCold();
        return () => deliver({ jobId: job.id, cursor: 0 });
      },
      stale: async () => {
        const { job } = await withJob();
        await json(await deliver({ jobId: job.id, cursor: 0 }), 200);
        return () => deliver({ jobId: job.id, cursor: 0 });
      },
    },
  },
  {
    route: `POST ${P}/webhooks/clerk`,
    status: 200,
    states: {
      signed: async () => {
        const body = JSON.stringify({ type: "user.created", data: { id: uid(), email_addresses: [], first_name: "A" } });
        const headers = await svixHeaders(body);
        return () => api(`${P}/webhooks/clerk`, { method: "POST", headers, body });
      },
    },
  },
  {
    route: `GET ${P}/admin/config`,
    status: 200,
    states: {
      admin: async () => {
        await configCold();
        return () => call("GET", "/admin/config", { admin: true });
      },
      hot: async () => {
        await configWarm();
        return () => call("GET", "/admin/config", { admin: true });
      },
      "jwt-admin-warm": async () => {
        const a = await jwtAdmin(true);
        await configWarm();
        return () => call("GET", "/admin/config", { token: a.token });
      },
      "jwt-admin-cold": async () => {
        const a = await jwtAdmin(false);
        await configWarm();
        return () => call("GET", "/admin/config", { token: a.token });
      },
    },
  },
  {
    route: `GET ${P}/admin/config/{category}/{key}`,
    status: 200,
    states: {
      admin: async () => {
        await readMe();
        await configCold();
        return () => call("GET", "/admin/config/rt/read_me", { admin: true });
      },
      hot: async () => {
        await readMe();
        await configWarm();
        return () => call("GET", "/admin/config/rt/read_me", { admin: true });
      },
    },
  },
  {
    route: `PUT ${P}/admin/config/{category}/{key}`,
    status: 201,
    states: {
      admin: async () => {
        const k = configKey();
        return () => call("PUT", `/admin/config/rt/${k}`, { admin: true, body: { value: "2 days", valueType: "duration" } });
      },
    },
  },
  {
    route: `DELETE ${P}/admin/config/{category}/{key}`,
    status: 204,
    states: {
      admin: async () => {
        const k = configKey();
        await json(await call("PUT", `/admin/config/rt/${k}`, { admin: true, body: { value: "x", valueType: "string" } }), 201);
        return () => call("DELETE", `/admin/config/rt/${k}`, { admin: true });
      },
    },
  },
  {
    route: `GET ${P}/admin/admins`,
    status: 200,
    states: {
      admin: async () => () => call("GET", "/admin/admins", { admin: true }),
      "jwt-admin-warm": async () => {
        const a = await jwtAdmin(true);
        return () => call("GET", "/admin/admins", { token: a.token });
      },
      "jwt-admin-cold": async () => {
        const a = await jwtAdmin(false);
        return () => call("GET", "/admin/admins", { token: a.token });
      },
    },
  },
  {
    route: `PUT ${P}/admin/admins/{userId}`,
    status: 200,
    states: {
      admin: async () => {
        const u = await user();
        return () => call("PUT", `/admin/admins/${u.id}`, { admin: true });
      },
    },
  },
  {
    route: `DELETE ${P}/admin/admins/{userId}`,
    status: 200,
    states: {
      admin: async () => {
        const u = await user();
        await jwtAdmin(false);
        await json(await call("PUT", `/admin/admins/${u.id}`, { admin: true }), 200);
        return () => call("DELETE", `/admin/admins/${u.id}`, { admin: true });
      },
    },
  },
  {
    route: `PATCH ${P}/admin/users/{userId}/subscription`,
    status: 200,
    states: {
      admin: async () => {
        const u = await user();
        return () => call("PATCH", `/admin/users/${u.id}/subscription`, { admin: true, body: { subscriptionStatus: "past_due" } });
      },
    },
  },
];
