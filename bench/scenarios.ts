/** The representative routes of `npm run bench`. */
import type { Scenario } from "./lib/context.js";
import { blogScenarios } from "./scenarios/blog.js";
import { marketingScenarios } from "./scenarios/marketing.js";

export const scenarios: Scenario[] = [
  {
    name: "health",
    route: "GET /health",
    setup: async () => ({ worker: { path: "/health" }, conventional: { path: "/health" } }),
  },
  ...blogScenarios,
  ...marketingScenarios,
];
