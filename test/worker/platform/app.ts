/** Small Hono apps around the platform middlewares, with the app's request id, logger and error handler, on the stack's env. */
import type { MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import type { AppContext, AppEnv } from "../../../src/env";
import { handleError } from "../../../src/http/errors";
import { accessLog } from "../../../src/http/middleware";
import { createRouter } from "../../../src/http/router";
import { testEnv } from "../helpers";

export type Bindings = AppEnv & { CONTROL_URL: string; JWKS_BASE_URL: string; JWKS_CONTROL_URL: string };
export const platformEnv = testEnv as Bindings;

/** GET /who behind the given middlewares answers the principal they set. */
export function whoApp(...mw: MiddlewareHandler<AppContext>[]) {
  const app = createRouter();
  app.use(requestId());
  app.use(accessLog);
  for (const m of mw) app.use("/who", m);
  app.get("/who", (c) => c.json(c.var.principal ?? null));
  app.onError(handleError);
  return app;
}

export function bearer(token: string): RequestInit {
  return { headers: { Authorization: `Bearer ${token}` } };
}

export const withEnv = (extra: Partial<Bindings>): Bindings => ({ ...platformEnv, ...extra });
