/** The router every module and the app itself are built from; it lives outside app.ts so modules can import it without a cycle. */
import { OpenAPIHono, type RouteConfig, type RouteConfigToEnv, type RouteHandler } from "@hono/zod-openapi";
import type { AppContext } from "./context";
import { validationHook } from "./errors";

export function createRouter() {
  return new OpenAPIHono<AppContext>({ defaultHook: validationHook });
}

/** The type of every route handler: the route's own inputs and middleware variables, on the app's bindings. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppContext & RouteConfigToEnv<R>>;
