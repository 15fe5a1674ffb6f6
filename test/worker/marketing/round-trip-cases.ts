/** The marketing routes for round-trip-audit.test.ts: each request of roundtrip-requests.ts, with a warm and a cold key. */
import { api, redis } from "../helpers";
import type { AuditCase } from "../round-trip-audit.types";
import { createRun, createUser, forgetKey, json } from "./helpers";
import { cases as requests, ensureSkill, skill } from "./roundtrip-requests";

export const cases: AuditCase[] = requests.map((c) => {
  const route = c.route.replace(" ", " /v1/marketing");
  const user = async () => createUser();
  if (c.admin) return { route, status: c.status, states: { admin: async () => c.prepare(await user()) } };
  const states: AuditCase["states"] = {
    warm: async () => {
      const u = await user();
      const req = await c.prepare(u);
      await json(await api("/v1/marketing/me", { headers: { Authorization: `Bearer ${u.key}` } }), 200);
      return req;
    },
    cold: async () => {
      const u = await user();
      const req = await c.prepare(u);
      await forgetKey(u);
      return req;
    },
  };
  if (c.route === "POST /runs/{id}/outputs") {
    states["run-info-uncached"] = async () => {
      await ensureSkill();
      const u = await user();
      const run = await createRun(u, skill);
      await redis().del(`marketing:run-key:${run.id}`);
      return () =>
        api(`/v1/marketing/runs/${run.id}/outputs`, {
          method: "POST",
          headers: { Authorization: `Bearer ${u.key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ content: "# audit" }),
        });
    };
  }
  return { route, status: c.status, states };
});
