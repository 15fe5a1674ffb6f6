/** `Location` headers built from the path the handler's router is mounted on (e.g. /v1/marketing), never hard-coded. */
import type { Context } from "hono";
import { basePath } from "hono/route";

/** `location(c, "/runs/" + id)` → "/v1/marketing/runs/<id>" for a handler of the router mounted at /v1/marketing. */
export function location(c: Context, path: string): string {
  return `${basePath(c).replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}
