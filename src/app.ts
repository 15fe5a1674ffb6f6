/** Builds the Hono app: request id → logging → body limit → module routers, plus /health, /openapi.json, /docs. */
import { requestId } from "hono/request-id";
import { docsPage } from "./http/docs-page";
import { handleError, respondProblem } from "./http/errors";
import { accessLog, limitBody, requestBudget } from "./http/middleware";
import { notFound } from "./core/problem";
import { createRouter } from "./http/router";
import { mountHealth } from "./health";
import type { ModuleDef } from "./module";
import { modules as defaultModules } from "./modules";

export const API_VERSION = "0.1.0";

export { createRouter };

export function createApp(modules: ModuleDef[] = defaultModules) {
  const app = createRouter();
  app.use(requestId());
  app.use(accessLog);
  app.use(limitBody);
  app.use(requestBudget);

  mountHealth(app);
  for (const m of modules) app.route(`/v1/${m.name}`, m.router);

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A module's API key (marketing: `mk_…_…`)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The admin token (ADMIN_TOKEN secret)",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Edge backend",
      version: API_VERSION,
      license: { name: "Proprietary (private project, not for redistribution)", identifier: "LicenseRef-Proprietary" },
      description:
        "Five SaaS data models (marketing, blog, chat, scheduler, influencer) served from one Cloudflare Worker. Errors are RFC 9457 `application/problem+json`.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/docs", (c) => c.html(docsPage("/openapi.json")));

  app.notFound((c) => respondProblem(c, notFound(`No route for ${c.req.method} ${c.req.path}.`)));
  app.onError(handleError);
  return app;
}
