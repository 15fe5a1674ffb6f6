/**
 * The worldwide latency model: pure arithmetic from (route measurements, RTT matrix) to modelled p50/p95 per user
 * region and deployment. No I/O, so test/node/worldwide-model.test.ts checks it on a tiny matrix.
 *
 * Per request, with local = the route's latency measured on this machine (stand-ins on localhost):
 *   worker at the user's colo:  access + local + PG × colo→Neon + Redis reads × colo→nearest replica + Redis writes × colo→Upstash primary
 *   worker placed near the DB:  access + colo→placement + local + PG × placed→Neon + reads × placed→replica + writes × placed→primary
 *   conventional (us-east):     access + user→us-east + local(conventional) + (PG + Redis) × same-AZ RTT
 *   smart placement:            per user region, whichever of "colo" and "placed" gives the lower mix-weighted p50
 *                               (Smart Placement moves the whole Worker, not single routes)
 * p95 adds the links' p95s to the local p95 (percentiles do not add; this is the pessimistic bound).
 * "Weighted" is the traffic-weighted mean over user regions of the regional p50 (p95).
 * A Redis request counts as a write when it holds any write command (a rate-limit script included): Upstash sends
 * the whole request to the primary.
 */

export interface Link {
  p50: number;
  p95: number;
  source: string;
  kind: "public" | "estimate";
}

export interface RegionRtt {
  id: string;
  /** share of all traffic coming from this region */
  weight: number;
  colo: string;
  upstashReplica: string;
  access: Link;
  coloToNeon: Link;
  coloToUpstashPrimary: Link;
  coloToUpstashReplica: Link;
  /** the user's colo → the colo where a placed Worker runs */
  coloToPlacement: Link;
  /** the user's metro → the conventional server's region (after the same access hop) */
  userToConventional: Link;
}

export interface Matrix {
  asOf: string;
  note: string;
  primaries: Record<string, string>;
  regions: RegionRtt[];
  placed: { toNeon: Link; toUpstashPrimary: Link; toUpstashReplica: Link };
  conventionalToBackends: Link;
}

export interface Trips {
  postgres: number;
  redisRead: number;
  redisWrite: number;
}

export interface RouteInput {
  route: string;
  /** route class of the request mix: "hot read", "read by key", "list/search", "write", … */
  cls: string;
  worker: { p50: number; p95: number };
  /** absent when the conventional server has no equivalent */
  conventional?: { p50: number; p95: number };
  trips: Trips;
  /** Redis requests per request sent after the response (not on the latency path; shown, not modelled) */
  afterResponse?: number;
}

export type Deployment = "worker at colo" | "worker placed" | "worker smart" | "conventional";

export interface Cell {
  p50: number;
  p95: number;
}

export interface ModelRow {
  route: string;
  cls: string;
  deployment: Deployment;
  byRegion: Record<string, Cell>;
  weighted: Cell;
}

type Q = "p50" | "p95";
const hop = (link: Link, n: number, q: Q) => n * link[q];

function workerAtColo(r: RouteInput, g: RegionRtt, q: Q): number {
  return (
    g.access[q] +
    r.worker[q] +
    hop(g.coloToNeon, r.trips.postgres, q) +
    hop(g.coloToUpstashReplica, r.trips.redisRead, q) +
    hop(g.coloToUpstashPrimary, r.trips.redisWrite, q)
  );
}

function workerPlaced(r: RouteInput, g: RegionRtt, m: Matrix, q: Q): number {
  return (
    g.access[q] +
    g.coloToPlacement[q] +
    r.worker[q] +
    hop(m.placed.toNeon, r.trips.postgres, q) +
    hop(m.placed.toUpstashReplica, r.trips.redisRead, q) +
    hop(m.placed.toUpstashPrimary, r.trips.redisWrite, q)
  );
}

function conventional(r: RouteInput, g: RegionRtt, m: Matrix, q: Q): number {
  const c = r.conventional!;
  const trips = r.trips.postgres + r.trips.redisRead + r.trips.redisWrite;
  return g.access[q] + g.userToConventional[q] + c[q] + hop(m.conventionalToBackends, trips, q);
}

function weighted(m: Matrix, byRegion: Record<string, Cell>): Cell {
  const total = m.regions.reduce((a, g) => a + g.weight, 0);
  const w = (q: Q) => m.regions.reduce((a, g) => a + g.weight * byRegion[g.id]![q], 0) / total;
  return { p50: w("p50"), p95: w("p95") };
}

function row(r: RouteInput, m: Matrix, deployment: Deployment, f: (g: RegionRtt, q: Q) => number): ModelRow {
  const byRegion = Object.fromEntries(m.regions.map((g) => [g.id, { p50: f(g, "p50"), p95: f(g, "p95") }]));
  return { route: r.route, cls: r.cls, deployment, byRegion, weighted: weighted(m, byRegion) };
}

/** Rows for every route: worker at colo, worker placed near the database, conventional (when measured). */
export function modelRoutes(routes: RouteInput[], m: Matrix): ModelRow[] {
  return routes.flatMap((r) => [
    row(r, m, "worker at colo", (g, q) => workerAtColo(r, g, q)),
    row(r, m, "worker placed", (g, q) => workerPlaced(r, g, m, q)),
    ...(r.conventional ? [row(r, m, "conventional", (g, q) => conventional(r, g, m, q))] : []),
  ]);
}

export interface Headline {
  deployment: Deployment;
  byRegion: Record<string, Cell>;
  weighted: Cell;
  /** weighted p50 ÷ the conventional server's weighted p50 */
  ratio: number;
  /** smart only: per region, where Smart Placement would run the Worker */
  choice?: Record<string, "colo" | "placed">;
}

/** Share of each route in the mix: a class's share split evenly over its routes; classes not in the mix get 0. */
export function routeShares(routes: RouteInput[], mix: Record<string, number>): Map<RouteInput, number> {
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  const shares = new Map<RouteInput, number>();
  for (const [cls, share] of Object.entries(mix)) {
    if (share <= 0) continue;
    const inClass = routes.filter((r) => r.cls === cls);
    if (inClass.length === 0) throw new Error(`request mix: no measured route of class "${cls}"`);
    for (const r of inClass) shares.set(r, share / total / inClass.length);
  }
  return shares;
}

/** The request mix over the modelled rows: one figure per deployment, smart placement included. */
export function headline(routes: RouteInput[], m: Matrix, mix: Record<string, number>): Headline[] {
  const shares = routeShares(routes, mix);
  const rows = modelRoutes([...shares.keys()], m);
  const mixed = (d: Deployment): Record<string, Cell> =>
    Object.fromEntries(
      m.regions.map((g) => {
        const cell = (q: Q) =>
          [...shares].reduce((a, [r, s]) => {
            const found = rows.find((x) => x.route === r.route && x.deployment === d);
            if (!found) throw new Error(`request mix: ${r.route} has no ${d} figure`);
            return a + s * found.byRegion[g.id]![q];
          }, 0);
        return [g.id, { p50: cell("p50"), p95: cell("p95") }];
      }),
    );
  const colo = mixed("worker at colo");
  const placed = mixed("worker placed");
  const conv = mixed("conventional");
  const choice = Object.fromEntries(
    m.regions.map((g) => [g.id, placed[g.id]!.p50 < colo[g.id]!.p50 ? ("placed" as const) : ("colo" as const)]),
  );
  const smart = Object.fromEntries(m.regions.map((g) => [g.id, choice[g.id] === "placed" ? placed[g.id]! : colo[g.id]!]));
  const convW = weighted(m, conv);
  const out = (deployment: Deployment, byRegion: Record<string, Cell>, extra?: Partial<Headline>): Headline => {
    const w = weighted(m, byRegion);
    return { deployment, byRegion, weighted: w, ratio: w.p50 / convW.p50, ...extra };
  };
  return [out("worker at colo", colo), out("worker placed", placed), out("worker smart", smart, { choice }), out("conventional", conv)];
}
