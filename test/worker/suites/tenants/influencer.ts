/** Influencer's objects for the isolation matrix: tenant A's campaign with its first scraping job. */
import { call, campaignWithJob, json, user, word } from "../../influencer/helpers";
import type { Tenant } from "../principals";
import type { TenantModule } from "./types";

const tenant = (u: { id: string; token: string }): Tenant => ({
  module: "influencer",
  subject: u.id,
  token: u.token,
  headers: { Authorization: `Bearer ${u.token}` },
});

export const influencer: TenantModule = {
  module: "influencer",
  async seed() {
    const a = await user();
    const b = await user();
    const { campaign, job } = await campaignWithJob(a);
    const own = await json(
      await call("POST", "/campaigns", {
        token: b.token,
        body: { name: "B's campaign", searchType: "keyword", job: { platform: "TikTok", keywords: [word()] } },
      }),
      201,
    );
    return { a: tenant(a), b: tenant(b), ids: { campaign: campaign.id, job: job.id }, own: { campaign: own.id } };
  },
  cases: {
    "GET /v1/influencer/campaigns/{id}": (s) => [{ kind: "path", params: { id: s.ids.campaign! } }],
    "PATCH /v1/influencer/campaigns/{id}": (s) => [{ kind: "path", params: { id: s.ids.campaign! }, body: { name: "B" } }],
    "DELETE /v1/influencer/campaigns/{id}": (s) => [{ kind: "path", params: { id: s.ids.campaign! } }],
    "POST /v1/influencer/campaigns/{id}/jobs": (s) => [
      { kind: "path", params: { id: s.ids.campaign! }, body: { platform: "TikTok", keywords: [word()] } },
    ],
    "GET /v1/influencer/campaigns/{id}/jobs": (s) => [{ kind: "path", params: { id: s.ids.campaign! } }],
    "GET /v1/influencer/jobs/{id}": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
    "GET /v1/influencer/jobs/{id}/results": (s) => [{ kind: "path", params: { id: s.ids.job! } }],
  },
  exempt: {
    "POST /v1/influencer/jobs/{id}/process":
      "a QStash-signed step, not a tenant's call: the signature binds URL and body (auth matrix: signed)",
    "GET /v1/influencer/admin/config/{category}/{key}": "admin only: system configuration",
    "PUT /v1/influencer/admin/config/{category}/{key}": "admin only: system configuration",
    "DELETE /v1/influencer/admin/config/{category}/{key}": "admin only: system configuration",
    "PUT /v1/influencer/admin/admins/{userId}": "admin only: promotes any user",
    "DELETE /v1/influencer/admin/admins/{userId}": "admin only: demotes any admin",
    "PATCH /v1/influencer/admin/users/{userId}/subscription": "admin only: sets any user's subscription",
  },
};
