/** The scheduler module (seed 003), mounted at /v1/scheduler: users and keys, jobs, endpoints, context, run history, usage; its runner is a sweep plus a queue job. */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import * as keyH from "./api-keys.handlers";
import * as keyR from "./api-keys.routes";
import * as ctxH from "./context.handlers";
import * as ctxR from "./context.routes";
import * as epH from "./endpoints.handlers";
import * as epR from "./endpoints.routes";
import * as histH from "./history.handlers";
import * as histR from "./history.routes";
import * as jobH from "./jobs.handlers";
import * as jobR from "./jobs.routes";
import * as userH from "./users.handlers";
import * as userR from "./users.routes";
import { schedulerJobs } from "./jobs";
import { seedScheduler } from "./seed";
import { schedulerSweeps } from "./sweeps";

const router = createRouter()
  .openapi(userR.createUser, userH.createUser)
  .openapi(userR.deleteUser, userH.deleteUser)
  .openapi(userR.getMe, userH.getMe)
  .openapi(keyR.createApiKey, keyH.createApiKey)
  .openapi(keyR.listApiKeys, keyH.listApiKeys)
  .openapi(keyR.revokeApiKey, keyH.revokeApiKey)
  .openapi(jobR.createJob, jobH.createJob)
  .openapi(jobR.listJobs, jobH.listJobs)
  .openapi(jobR.getJob, jobH.getJob)
  .openapi(jobR.patchJob, jobH.patchJob)
  .openapi(jobR.deleteJob, jobH.deleteJob)
  .openapi(jobR.pauseJob, jobH.pauseJob)
  .openapi(jobR.resumeJob, jobH.resumeJob)
  .openapi(jobR.archiveJob, jobH.archiveJob)
  .openapi(jobR.runJob, jobH.runJob)
  .openapi(epR.createEndpoint, epH.createEndpoint)
  .openapi(epR.listEndpoints, epH.listEndpoints)
  .openapi(epR.getEndpoint, epH.getEndpoint)
  .openapi(epR.patchEndpoint, epH.patchEndpoint)
  .openapi(epR.deleteEndpoint, epH.deleteEndpoint)
  .openapi(ctxR.listContext, ctxH.listContext)
  .openapi(ctxR.putContext, ctxH.putContext)
  .openapi(ctxR.deleteContext, ctxH.deleteContext)
  .openapi(histR.listMessages, histH.listMessages)
  .openapi(histR.listTasks, histH.listTasks)
  .openapi(histR.getUsage, histH.getUsage);

router.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "http",
  scheme: "bearer",
  description: "An Auth.js database session token (or the authjs.session-token cookie)",
});

export default defineModule({ name: "scheduler", router, jobs: schedulerJobs, sweeps: schedulerSweeps, seed: seedScheduler });
