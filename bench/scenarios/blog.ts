/** The blog's hot-cache read: one dress, already in Redis (Worker) / Redis over TCP (conventional). */
import type { Scenario } from "../lib/context.js";
import { fake } from "../lib/control.js";

export const blogScenarios: Scenario[] = [
  {
    name: "hot-cache read",
    route: "GET /v1/blog/dresses/{externalId}",
    async setup(ctx) {
      await fake(ctx.fakes.dressApiControl!, "/dresses", {
        items: [{ id: "bench-hot", name: "Hot gown", designer: "Bench", price: "$2,000", category: "bench-hot", tags: ["silk"] }],
      });
      for (const url of [ctx.worker.url, ctx.conventional.url]) {
        const res = await fetch(`${url}/v1/blog/dresses/bench-hot`); // fills Postgres (worker) and Redis
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`warming ${url}: ${res.status}`);
      }
      const req = { path: "/v1/blog/dresses/bench-hot" };
      return { worker: req, conventional: req };
    },
  },
];
