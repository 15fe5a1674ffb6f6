/**
 * The influencer module (seed 004), mounted at /v1/influencer: Clerk identity, profiles with onboarding and
 * trials, campaigns with their scraping jobs (processed step by step through QStash or the JOBS queue),
 * flattened results, hot-reloadable system configuration, admins. Legacy search_jobs/search_results get no
 * routes: the seed marks them unused and nothing writes them.
 */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import * as adminH from "./admin.handlers";
import * as adminR from "./admin.routes";
import * as campaignH from "./campaigns.handlers";
import * as campaignR from "./campaigns.routes";
import * as jobH from "./jobs.handlers";
import * as jobR from "./jobs.routes";
import * as profileH from "./profile.handlers";
import * as profileR from "./profile.routes";
import * as webhookH from "./webhooks.handlers";
import * as webhookR from "./webhooks.routes";
import { seedInfluencer } from "./seed";
import { influencerJobs } from "./steps";
import { influencerSweeps } from "./sweeps";

const router = createRouter()
  .openapi(profileR.getMe, profileH.getMe)
  .openapi(profileR.advanceOnboarding, profileH.advanceOnboarding)
  .openapi(profileR.getTrial, profileH.getTrial)
  .openapi(profileR.startTrial, profileH.startTrial)
  .openapi(profileR.cancelTrial, profileH.cancelTrial)
  .openapi(campaignR.createCampaign, campaignH.createCampaign)
  .openapi(campaignR.listCampaigns, campaignH.listCampaigns)
  .openapi(campaignR.getCampaign, campaignH.getCampaign)
  .openapi(campaignR.patchCampaign, campaignH.patchCampaign)
  .openapi(campaignR.deleteCampaign, campaignH.deleteCampaign)
  .openapi(jobR.createJob, jobH.createJob)
  .openapi(jobR.listJobs, jobH.listJobs)
  .openapi(jobR.getJob, jobH.getJob)
  .openapi(jobR.getJobResults, jobH.getJobResults)
  .openapi(jobR.processJob, jobH.processJob)
  .openapi(webhookR.clerkWebhook, webhookH.clerkWebhook)
  .openapi(adminR.listConfig, adminH.listConfig)
  .openapi(adminR.getConfig, adminH.getConfig)
  .openapi(adminR.putConfig, adminH.putConfig)
  .openapi(adminR.deleteConfig, adminH.deleteConfig)
  .openapi(adminR.listAdmins, adminH.listAdmins)
  .openapi(adminR.promoteAdmin, adminH.promoteAdmin)
  .openapi(adminR.demoteAdmin, adminH.demoteAdmin)
  .openapi(adminR.setSubscription, adminH.setSubscription);

router.openAPIRegistry.registerComponent("securitySchemes", "qstashSignature", {
  type: "apiKey",
  in: "header",
  name: "Upstash-Signature",
  description: "QStash's JWT over the URL and body (current or next signing key)",
});
router.openAPIRegistry.registerComponent("securitySchemes", "svixSignature", {
  type: "apiKey",
  in: "header",
  name: "svix-signature",
  description: "Svix's HMAC over svix-id, svix-timestamp and the body (Clerk webhooks)",
});

export default defineModule({ name: "influencer", router, jobs: influencerJobs, sweeps: influencerSweeps, seed: seedInfluencer });
