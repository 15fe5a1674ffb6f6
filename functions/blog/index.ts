/** The blog module (seed 001), mounted at /v1/blog; its background job generates posts. */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import { getSettingHandler, listAgentsHandler, listSettingsHandler, patchAgentHandler, putSettingHandler } from "./admin.handlers";
import { getSettingRoute, listAgentsRoute, listSettingsRoute, patchAgentRoute, putSettingRoute } from "./admin.routes";
import { analyseBrandVoiceHandler } from "./brand-voice.handlers";
import { analyseBrandVoiceRoute } from "./brand-voice.routes";
import { getDressHandler, listDressesHandler } from "./dresses.handlers";
import { getDressRoute, listDressesRoute } from "./dresses.routes";
import { createSessionHandler, generateSessionHandler, getSessionHandler, patchSessionHandler } from "./sessions.handlers";
import { blogJobs } from "./jobs";
import { seedBlog } from "./seed";
import { blogSweeps } from "./sweeps";
import { createSessionRoute, generateSessionRoute, getSessionRoute, patchSessionRoute } from "./sessions.routes";

const router = createRouter()
  .openapi(listDressesRoute, listDressesHandler)
  .openapi(getDressRoute, getDressHandler)
  .openapi(analyseBrandVoiceRoute, analyseBrandVoiceHandler)
  .openapi(createSessionRoute, createSessionHandler)
  .openapi(getSessionRoute, getSessionHandler)
  .openapi(patchSessionRoute, patchSessionHandler)
  .openapi(generateSessionRoute, generateSessionHandler)
  .openapi(listAgentsRoute, listAgentsHandler)
  .openapi(patchAgentRoute, patchAgentHandler)
  .openapi(listSettingsRoute, listSettingsHandler)
  .openapi(getSettingRoute, getSettingHandler)
  .openapi(putSettingRoute, putSettingHandler);


export default defineModule({ name: "blog", router, jobs: blogJobs, sweeps: blogSweeps, seed: seedBlog });
