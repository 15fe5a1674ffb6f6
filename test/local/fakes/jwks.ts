/**
 * A fake identity provider's JWKS endpoint for the workerd tests: `GET /<set>/jwks.json` answers the key set a
 * test published under that name (404 for an unknown set). Each test uses its own set name, so counts stay apart.
 * `/__control`: POST /keys {set, keys}, POST /rules {rules} (fail/stall/garbage), GET /calls?match=/<set>/, POST /reset.
 */
import { applyRule, send, startFake, takeRule, type FakeServer } from "./common.js";

export function startJwks(): Promise<FakeServer> {
  const sets = new Map<string, unknown[]>();
  return startFake(
    "jwks",
    async (req, res, url, state) => {
      const subject = `${req.method} ${url.pathname}`;
      state.calls.push({ method: req.method ?? "GET", path: url.pathname, at: Date.now() });
      if (await applyRule(takeRule(state, subject), res)) return;
      const m = url.pathname.match(/^\/([\w-]+)\/jwks\.json$/);
      const keys = m ? sets.get(m[1]!) : undefined;
      return keys ? send(res, 200, { keys }, { "cache-control": "public, max-age=600" }) : send(res, 404, { error: "no such key set" });
    },
    (route, body) => {
      if (route === "POST /keys") {
        sets.set(String(body.set), body.keys as unknown[]);
        return { ok: true };
      }
      return undefined;
    },
  );
}
