/** Worker entry: HTTP requests go to the Hono app, Cron Triggers to the sweep dispatcher. */
import { createApp } from "./app";
import { dispatchCron } from "./cron/dispatch";
import { cronTable } from "./cron/schedule";
import type { AppEnv } from "./env";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(dispatchCron(cronTable, controller.cron, env, controller.scheduledTime));
  },
} satisfies ExportedHandler<AppEnv>;
