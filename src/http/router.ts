/** The router every module and the app itself are built from; it lives outside app.ts so modules can import it without a cycle. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "./context";
import { validationHook } from "./errors";

export function createRouter() {
  return new OpenAPIHono<AppContext>({ defaultHook: validationHook });
}
