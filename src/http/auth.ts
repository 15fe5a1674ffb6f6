import type { MiddlewareHandler } from "hono";
import type { AppContext } from "./context";
import { forbidden, unauthorized, unavailable } from "../core/problem";
import { constantTimeEqual } from "../core/secrets";

export function bearerToken(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m?.[1] ?? null;
}

/** Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const requireAdmin: MiddlewareHandler<AppContext> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw unavailable("Admin access is not configured (ADMIN_TOKEN).", 60);
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw unauthorized("This route needs the admin token as a bearer token.");
  if (!constantTimeEqual(token, expected)) throw forbidden("The admin token is not valid.");
  await next();
};
