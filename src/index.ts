/** Worker entry: HTTP requests go to the Hono app, Cron Triggers to the sweep dispatcher, queued jobs to their modules. */
import { createApp } from "./app";
import type { AppEnv } from "./core/env";
import { dispatchCron } from "./cron/dispatch";
import { dispatchJobs } from "./jobs/dispatch";
import { cronTable, jobTable } from "./registry";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Awaited as well as waitUntil'd: the run then counts as the event's own work, and a manual
    // trigger (/__scheduled, /cdn-cgi/handler/scheduled) answers only when the sweeps are done.
    const run = dispatchCron(cronTable, controller.cron, env, controller.scheduledTime);
    ctx.waitUntil(run);
    await run;
  },
  async queue(batch, env) {
    await dispatchJobs(jobTable, batch, env);
  },
} satisfies ExportedHandler<AppEnv>;
