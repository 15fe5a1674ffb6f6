/** The bench's worldwide latency model (bench/lib/worldwide.ts) is plain arithmetic: checked here on a tiny matrix. */
import { describe, expect, it } from "vitest";
import { rttMatrix } from "../../bench/data/rtt.js";
import { headline, type Link, type Matrix, modelRoutes, type RouteInput, routeShares } from "../../bench/lib/worldwide.js";

const l = (p50: number, p95: number): Link => ({ p50, p95, source: "test", kind: "estimate" });

// Two regions: "near" (weight 3) sits next to the database, "far" (weight 1) is 100 ms away from it.
const matrix: Matrix = {
  asOf: "test",
  note: "test",
  primaries: {},
  regions: [
    {
      id: "near",
      weight: 3,
      colo: "N",
      upstashReplica: "n",
      access: l(10, 20),
      coloToNeon: l(1, 2),
      coloToUpstashPrimary: l(1, 2),
      coloToUpstashReplica: l(1, 2),
      coloToPlacement: l(1, 2),
      userToConventional: l(1, 2),
    },
    {
      id: "far",
      weight: 1,
      colo: "F",
      upstashReplica: "f",
      access: l(10, 20),
      coloToNeon: l(100, 110),
      coloToUpstashPrimary: l(100, 110),
      coloToUpstashReplica: l(2, 3),
      coloToPlacement: l(100, 110),
      userToConventional: l(100, 110),
    },
  ],
  placed: { toNeon: l(1, 2), toUpstashPrimary: l(1, 2), toUpstashReplica: l(1, 2) },
  conventionalToBackends: l(0.5, 1),
};

const hot: RouteInput = {
  route: "hot",
  cls: "hot read",
  worker: { p50: 4, p95: 8 },
  conventional: { p50: 2, p95: 4 },
  trips: { postgres: 0, redisRead: 1, redisWrite: 0 },
};
const write: RouteInput = {
  route: "write",
  cls: "write",
  worker: { p50: 6, p95: 12 },
  conventional: { p50: 5, p95: 10 },
  trips: { postgres: 1, redisRead: 1, redisWrite: 1 },
};

describe("worldwide model", () => {
  it("adds each hop once per round trip, per region and deployment", () => {
    const rows = modelRoutes([hot, write], matrix);
    const get = (route: string, d: string) => rows.find((r) => r.route === route && r.deployment === d)!;
    // hot read at the far colo: access 10 + local 4 + 1 replica read 2
    expect(get("hot", "worker at colo").byRegion.far!).toEqual({ p50: 16, p95: 31 });
    // placed: access 10 + colo→placement 100 + local 4 + 1 read at 1 ms
    expect(get("hot", "worker placed").byRegion.far!).toEqual({ p50: 115, p95: 140 });
    // conventional: access 10 + 100 + local 2 + 1 trip × 0.5
    expect(get("hot", "conventional").byRegion.far!).toEqual({ p50: 112.5, p95: 135 });
    // write at the far colo: 10 + 6 + PG 100 + read 2 + write 100
    expect(get("write", "worker at colo").byRegion.far!.p50).toBe(218);
    // placed: 10 + 100 + 6 + 3 × 1
    expect(get("write", "worker placed").byRegion.far!.p50).toBe(119);
    // weights 3:1 → near counts three times: hot at colo, near = 10 + 4 + 1 = 15
    expect(get("hot", "worker at colo").weighted.p50).toBe((3 * 15 + 16) / 4);
  });

  it("weights routes by the request mix and lets smart placement pick per region", () => {
    const h = headline([hot, write], matrix, { "hot read": 0.5, write: 0.5 });
    const by = Object.fromEntries(h.map((x) => [x.deployment, x]));
    // far: colo = (16 + 218) / 2 = 117; placed = (115 + 119) / 2 = 117 → a tie stays at the colo
    expect(by["worker at colo"]!.byRegion.far!.p50).toBe(117);
    expect(by["worker placed"]!.byRegion.far!.p50).toBe(117);
    expect(by["worker smart"]!.choice).toEqual({ near: "colo", far: "colo" });
    // near: colo hot 15, write 10+6+1+1+1 = 19 → 17; conventional hot 10+1+2+0.5 = 13.5, write 10+1+5+1.5 = 17.5 → 15.5
    expect(by["worker at colo"]!.byRegion.near!.p50).toBe(17);
    expect(by.conventional!.byRegion.near!.p50).toBe(15.5);
    const convFar = (112.5 + (10 + 100 + 5 + 1.5)) / 2;
    const convW = (3 * 15.5 + convFar) / 4;
    expect(by.conventional!.weighted.p50).toBeCloseTo(convW, 10);
    expect(by["worker at colo"]!.ratio).toBeCloseTo((3 * 17 + 117) / 4 / convW, 10);
    // a heavier write share tips the far region to the placed Worker
    const writes = headline([hot, write], matrix, { "hot read": 0.2, write: 0.8 });
    expect(writes.find((x) => x.deployment === "worker smart")!.choice).toEqual({ near: "colo", far: "placed" });
  });

  it("splits a class's share over its routes and refuses a class nobody measured", () => {
    const write2 = { ...write, route: "write 2" };
    const shares = routeShares([hot, write, write2], { "hot read": 0.6, write: 0.4 });
    expect([...shares.values()]).toEqual([0.6, 0.2, 0.2]);
    expect(() => routeShares([hot], { "hot read": 0.6, write: 0.4 })).toThrow(/write/);
  });

  it("ships a matrix with a source for every figure and weights that add up to 1", () => {
    expect(rttMatrix.regions.map((r) => r.id)).toEqual(["us-east", "us-west", "eu-west", "ap-southeast", "sa-east"]);
    expect(rttMatrix.regions.reduce((a, r) => a + r.weight, 0)).toBeCloseTo(1, 10);
    for (const r of rttMatrix.regions) {
      for (const link of [
        r.access,
        r.coloToNeon,
        r.coloToUpstashPrimary,
        r.coloToUpstashReplica,
        r.coloToPlacement,
        r.userToConventional,
      ]) {
        expect(link.source.length).toBeGreaterThan(10);
        expect(link.p95).toBeGreaterThanOrEqual(link.p50);
      }
    }
  });
});
