/** The blog module (seed 001), mounted at /v1/blog; its background job generates posts. */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import * as adminH from "./admin.handlers";
import * as adminR from "./admin.routes";
import * as brandVoiceH from "./brand-voice.handlers";
import * as brandVoiceR from "./brand-voice.routes";
import * as dressH from "./dresses.handlers";
import * as dressR from "./dresses.routes";
import { blogJobs } from "./jobs";
import { seedBlog } from "./seed";
import * as sessionH from "./sessions.handlers";
import * as sessionR from "./sessions.routes";
import { blogSweeps } from "./sweeps";

const router = createRouter()
  .openapi(dressR.listDresses, dressH.listDresses)
  .openapi(dressR.getDress, dressH.getDress)
  .openapi(brandVoiceR.analyseBrandVoice, brandVoiceH.analyseBrandVoice)
  .openapi(sessionR.createSession, sessionH.createSession)
  .openapi(sessionR.getSession, sessionH.getSession)
  .openapi(sessionR.patchSession, sessionH.patchSession)
  .openapi(sessionR.generateSession, sessionH.generateSession)
  .openapi(sessionR.retrySession, sessionH.retrySession)
  .openapi(adminR.listAgents, adminH.listAgents)
  .openapi(adminR.createAgent, adminH.createAgent)
  .openapi(adminR.patchAgent, adminH.patchAgent)
  .openapi(adminR.deleteAgent, adminH.deleteAgent)
  .openapi(adminR.listSettings, adminH.listSettings)
  .openapi(adminR.getSetting, adminH.getSetting)
  .openapi(adminR.putSetting, adminH.putSetting)
  .openapi(adminR.listSessions, adminH.listSessions)
  .openapi(adminR.deleteSession, adminH.deleteSession);

export default defineModule({ name: "blog", router, jobs: blogJobs, sweeps: blogSweeps, seed: seedBlog });
