/**
 * The modules this Worker serves, each mounted at /v1/<name>. The platform knows modules
 * only here (and in cron/schedule.ts); a module never imports another module.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "./env";
import type { JobTable } from "./jobs/dispatch";
import { blogJobs, blogRouter } from "../functions/blog";
import { influencerJobs, router as influencerRouter } from "../functions/influencer";
import { router as marketingRouter } from "../functions/marketing";

export interface ModuleDef {
  name: string;
  router: OpenAPIHono<AppContext>;
  /** background jobs the module sends to the JOBS queue (src/jobs/dispatch.ts) */
  jobs?: JobTable;
}

export const modules: ModuleDef[] = [
  { name: "blog", router: blogRouter, jobs: blogJobs },
  { name: "marketing", router: marketingRouter },
  { name: "influencer", router: influencerRouter, jobs: influencerJobs },
];
