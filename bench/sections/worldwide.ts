/**
 * The worldwide model: the routes measured on this machine (local p50/p95, round trips counted at the stand-ins)
 * put through the sourced RTT matrix of bench/data/rtt.ts for five user regions, three deployments and the request
 * mix. The arithmetic lives in bench/lib/worldwide.ts (pure, unit-tested).
 */
import { requestMix, rttMatrix } from "../data/rtt.js";
import type { BenchContext } from "../lib/context.js";
import type { RouteRow } from "../lib/report.js";
import { table } from "../lib/report.js";
import { type Cell, headline, type Matrix, modelRoutes, type RouteInput } from "../lib/worldwide.js";

/** bench scenario name → route class of the request mix */
const CLASSES: Record<string, string> = {
  "hot-cache read": "hot read",
  "edge-cache hit": "edge-cache hit",
  "postgres read by key": "read by key",
  "paginated list with search": "list/search",
  create: "write",
  "status transition": "write",
};

/** Route measurements → model inputs: Redis requests split into reads (nearest replica) and writes (primary). */
export function routeInputs(rows: RouteRow[]): RouteInput[] {
  const inputs: RouteInput[] = [];
  for (const w of rows.filter((r) => r.server === "worker")) {
    const c = rows.find((r) => r.route === w.route && r.server === "conventional");
    const trips = { postgres: w.pgPerReq, redisRead: w.redisPerReq - w.redisWritesPerReq, redisWrite: w.redisWritesPerReq };
    if (w.route === "health") continue; // pings Postgres and Redis: not a route class of the mix
    const cls = CLASSES[w.route];
    if (cls) inputs.push({ route: w.route, cls, worker: w, conventional: c, trips, afterResponse: w.redisAfterPerReq });
  }
  // No route answers from the Cache API on this branch: an edge-cache hit is modelled with 0 round trips and the hot
  // read's local time (an upper bound: a colo cache hit skips auth, rate limit and the handler). A measured row of
  // class "edge-cache hit" (issue 16 §2) replaces it.
  const hot = inputs.find((r) => r.cls === "hot read");
  if (hot && !inputs.some((r) => r.cls === "edge-cache hit")) {
    inputs.push({
      route: "edge-cache hit (modelled)",
      cls: "edge-cache hit",
      worker: hot.worker,
      conventional: hot.conventional,
      trips: { postgres: 0, redisRead: 0, redisWrite: 0 },
    });
  }
  return inputs;
}

const cell = (c: Cell) => `${c.p50.toFixed(0)} / ${c.p95.toFixed(0)}`;

export function printWorldwide(inputs: RouteInput[], m: Matrix = rttMatrix, mix: Record<string, number> = requestMix) {
  const regions = m.regions.map((g) => g.id);
  console.log(`\nWorldwide model: RTT matrix (${m.note}; every figure's source in bench/data/rtt.ts)`);
  console.log(
    table(
      ["user region", "weight", "colo", "Upstash replica", "user→colo", "colo→Neon", "colo→replica", "colo→Upstash primary"],
      m.regions.map((g) => [
        g.id,
        g.weight,
        g.colo,
        g.upstashReplica,
        cell(g.access),
        cell(g.coloToNeon),
        cell(g.coloToUpstashReplica),
        cell(g.coloToUpstashPrimary),
      ]),
    ),
  );
  console.log(
    "\nRound trips per request fed to the model (counted at the stand-ins on the request path; a Redis request holding a write goes to the primary; the rate-limit commit sent after the response is shown, not modelled)",
  );
  console.log(
    table(
      ["route", "class", "local p50 ms", "local p95 ms", "PG", "Redis reads", "Redis writes", "Redis after response"],
      inputs.map((r) => [
        r.route,
        r.cls,
        r.worker.p50,
        r.worker.p95,
        r.trips.postgres,
        r.trips.redisRead,
        r.trips.redisWrite,
        r.afterResponse ?? 0,
      ]),
    ),
  );
  const rows = modelRoutes(inputs, m);
  console.log("\nModelled p50 / p95 ms per user region (weighted = traffic-weighted mean of the regional figures)");
  console.log(
    table(
      ["route", "deployment", ...regions, "weighted"],
      rows.map((r) => [r.route, r.deployment, ...regions.map((g) => cell(r.byRegion[g]!)), cell(r.weighted)]),
    ),
  );
  console.log("\nRoute class ratio (worker ÷ conventional, weighted p50; target ≤ 0.5)");
  console.log(
    table(
      ["route", "at colo", "placed"],
      inputs.flatMap((r) => {
        const get = (d: string) => rows.find((x) => x.route === r.route && x.deployment === d)?.weighted.p50 ?? NaN;
        const conv = get("conventional");
        return Number.isFinite(conv) ? [[r.route, get("worker at colo") / conv, get("worker placed") / conv]] : [];
      }),
    ),
  );
  const mixText = Object.entries(mix)
    .map(([k, v]) => `${(v * 100).toFixed(0)}% ${k}`)
    .join(", ");
  const h = headline(inputs, m, mix);
  console.log(`\nHeadline: request mix ${mixText}; target worker weighted p50 ≤ 0.5 × conventional`);
  console.log(
    table(
      ["deployment", ...regions, "weighted p50 / p95", "÷ conventional"],
      h.map((x) => [
        x.deployment + (x.choice ? ` (${Object.values(x.choice).join(",")})` : ""),
        ...regions.map((g) => cell(x.byRegion[g]!)),
        cell(x.weighted),
        x.ratio,
      ]),
    ),
  );
  return { rows, headline: h };
}

export async function worldwideSection(ctx: BenchContext) {
  if (!ctx.routes) throw new Error("worldwide: the route measurements did not run");
  const inputs = routeInputs(ctx.routes);
  const out = printWorldwide(inputs);
  // The floor of this mix on this matrix: the same round trips with no local time at all in the Worker (the
  // conventional server keeps its measured time). No Worker can beat it while writes and reads by key must reach
  // the one Postgres region.
  const noLocal = inputs.map((r) => ({ ...r, worker: { p50: 0, p95: 0 } }));
  const floor = headline(noLocal, rttMatrix, requestMix);
  console.log("\nFloor: the same round trips with 0 ms local time in the Worker (network only), conventional as measured");
  console.log(
    table(
      ["deployment", "weighted p50 / p95", "÷ conventional"],
      floor.map((x) => [x.deployment, cell(x.weighted), x.ratio]),
    ),
  );
  return { inputs, ...out, networkFloor: floor };
}
