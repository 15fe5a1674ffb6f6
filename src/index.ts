/** Worker entry: HTTP requests go to the Hono app, Cron Triggers to the sweep dispatcher, queued jobs to their modules. */
import { createApp } from "./app";
import { dispatchCron } from "./cron/dispatch";
import { cronTable } from "./cron/schedule";
import type { AppEnv } from "./env";
import { dispatchJobs, type JobTable } from "./jobs/dispatch";
import { modules } from "./modules";

const app = createApp();
const jobs: JobTable = Object.assign({}, ...modules.map((m) => m.jobs ?? {}));

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
    await dispatchJobs(jobs, batch, env);
  },
} satisfies ExportedHandler<AppEnv>;
