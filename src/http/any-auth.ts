/**
 * `firstOf(sessionAuth(…), apiKeyAuth(…))`: the first middleware that accepts the request sets the principal.
 * A 401 from one lets the next try; any other failure (503, 403) answers at once. Put the ones that reject a
 * foreign token without I/O first (API keys by prefix, JWTs by shape) and database lookups last.
 */
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "./context";
import { HttpProblem, unauthorized } from "../core/problem";

export function firstOf(...auths: MiddlewareHandler<AppContext>[]): MiddlewareHandler<AppContext> {
  if (auths.length === 0) throw new Error("firstOf needs at least one middleware");
  return async (c, next) => {
    let firstRefusal: HttpProblem | undefined;
    for (const auth of auths) {
      let accepted = false;
      try {
        await auth(c, async () => { accepted = true; });
      } catch (err) {
        if (err instanceof HttpProblem && err.status === 401) {
          firstRefusal ??= err;
          continue;
        }
        throw err;
      }
      if (accepted) return next();
    }
    throw firstRefusal ?? unauthorized();
  };
}
