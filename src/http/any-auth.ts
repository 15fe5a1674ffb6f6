/**
 * `firstOf(sessionAuth(…), apiKeyAuth(…))`: the first middleware that accepts the request sets the principal.
 * A 401 from one lets the next try (the answer is the first 401 that refuses the sent credential as invalid_token,
 * else the first 401); any other failure (503, 403) answers at once. Put the ones that reject a
 * foreign token without I/O first (API keys by prefix, JWTs by shape) and database lookups last.
 */
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "./context";
import { HttpProblem, unauthorized } from "../core/problem";
import { recordAuthFailure } from "./rate-limit";

const refusesCredential = (p: HttpProblem) => /error="invalid_token"/.test(p.headers?.["WWW-Authenticate"] ?? "");

export function firstOf(...auths: MiddlewareHandler<AppContext>[]): MiddlewareHandler<AppContext> {
  if (auths.length === 0) throw new Error("firstOf needs at least one middleware");
  return async (c, next) => {
    let firstRefusal: HttpProblem | undefined;
    const outer = c.get("authFailures");
    const failures = { failed: false };
    c.set("authFailures", failures);
    try {
      for (const auth of auths) {
        let accepted = false;
        try {
          await auth(c, async () => {
            accepted = true;
          });
        } catch (err) {
          if (err instanceof HttpProblem && err.status === 401) {
            // The refusal that names the sent credential invalid wins over a plain "not my kind of token".
            if (!firstRefusal || (!refusesCredential(firstRefusal) && refusesCredential(err))) firstRefusal = err;
            continue;
          }
          throw err;
        }
        if (accepted) {
          c.set("authFailures", outer);
          return next();
        }
      }
    } finally {
      c.set("authFailures", outer);
    }
    const refusal = firstRefusal ?? unauthorized();
    // A credential was refused by every middleware: one failed authentication for this IP (or the outer firstOf's).
    if (!failures.failed) throw refusal;
    if (outer) {
      outer.failed = true;
      throw refusal;
    }
    throw await recordAuthFailure(c, refusal);
  };
}
