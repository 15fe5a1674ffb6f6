/**
 * The dress cache, layer by layer: latency of an answer from the colo's Cache API (a hit, and a 304 to
 * If-None-Match), from Redis, from Postgres, from the origin (the dress API), and a stale answer while the
 * origin fails; then 100 concurrent requests for one cold key and how many origin calls they caused.
 * The Redis/Postgres layers are measured with `Cache-Control: no-cache`, which skips the colo cache's lookup.
 */
import type { BenchContext } from "../lib/context.js";
import { fake, redis } from "../lib/control.js";
import { sample } from "../lib/load.js";
import { table } from "../lib/report.js";

const N = 150;

export async function cacheSection(ctx: BenchContext) {
  const dressApi = ctx.fakes.dressApiControl!;
  const items = Array.from({ length: N + 10 }, (_, i) => ({
    id: `bench-dress-${i}`,
    name: `Gown ${i}`,
    designer: "Bench",
    price: "$1,000",
    category: "bench-gowns",
    tags: ["silk"],
  }));
  await fake(dressApi, "/dresses", { items });
  const url = (id: string) => `${ctx.worker.url}/v1/blog/dresses/${id}`;
  const edgeCounts = { hit: 0, notModified: 0, requests: 0 };
  const etags = new Map<string, string>();
  const hit = async (id: string, expect: string) => {
    if (expect === "edge" || expect === "edge-304") {
      const res = await fetch(url(id), { headers: expect === "edge-304" ? { "If-None-Match": etags.get(id) ?? "" } : {} });
      await res.arrayBuffer();
      edgeCounts.requests++;
      if (res.headers.get("x-edge-cache") === "hit" && res.status === 200) edgeCounts.hit++;
      if (res.status === 304) edgeCounts.notModified++;
      return;
    }
    const res = await fetch(url(id), { headers: { "Cache-Control": "no-cache" } });
    await res.arrayBuffer();
    const etag = res.headers.get("etag");
    if (etag) etags.set(id, etag);
    if (res.headers.get("x-cache") !== expect)
      throw new Error(`expected X-Cache ${expect}, got ${res.status} ${res.headers.get("x-cache")}`);
  };
  const dressKey = (id: string) => `blog:dress:v1:${encodeURIComponent(id)}`;
  const rows: (string | number)[][] = [];
  const record = (layer: string, s: { p50: number; p99: number; mean: number }, pg: number, rd: number) =>
    rows.push([layer, s.p50, s.p99, s.mean, pg, rd]);
  const measure = async (layer: string, before: (id: string) => Promise<void>, expect: string) => {
    let i = 0;
    await ctx.stack.resetStats();
    const times = await sample(N, async () => {
      const id = `bench-dress-${i++}`;
      await before(id);
      await hit(id, expect);
    });
    const trips = await ctx.stack.stats();
    // `before` talks to Redis through the control plane, not the stand-in, so the counters are the Worker's alone
    record(layer, times, trips.postgres / N, trips.redis / N);
  };

  ctx.log("cache: origin (cold) …");
  await ctx.pool.query("DELETE FROM blog.cached_dresses WHERE external_id LIKE 'bench-dress-%'");
  await measure(
    "origin (Redis and Postgres miss)",
    async (id) => {
      await redis(ctx, "DEL", dressKey(id));
    },
    "origin",
  );
  ctx.log("cache: postgres …");
  await measure(
    "postgres (Redis miss)",
    async (id) => {
      await redis(ctx, "DEL", dressKey(id));
    },
    "postgres",
  );
  ctx.log("cache: redis …");
  await measure("redis (hot)", async () => {}, "redis");
  ctx.log("cache: edge (colo Cache API) …");
  await measure("edge hit (colo Cache API)", async () => {}, "edge");
  const edgeHits = { ...edgeCounts };
  edgeCounts.hit = edgeCounts.notModified = edgeCounts.requests = 0;
  await measure("edge 304 (If-None-Match)", async () => {}, "edge-304");
  const edge304 = { ...edgeCounts };
  ctx.log("cache: stale …");
  await ctx.pool.query("UPDATE blog.cached_dresses SET expires_at = now() - interval '1 hour' WHERE external_id LIKE 'bench-dress-%'");
  await fake(dressApi, "/rules", { rules: [{ match: "/dresses/bench-dress-", status: 500, times: 100000 }] });
  await measure(
    "stale (origin failing)",
    async (id) => {
      await redis(ctx, "DEL", dressKey(id));
    },
    "stale",
  );
  await fake(dressApi, "/reset", {});

  ctx.log("cache: 100 concurrent cold requests …");
  await fake(dressApi, "/dresses", { items: [{ id: "bench-stampede", name: "Stampede", category: "bench-gowns" }] });
  await fake(dressApi, "/rules", { rules: [{ match: "/dresses/bench-stampede", delayMs: 200 }] });
  await redis(ctx, "DEL", dressKey("bench-stampede"));
  await ctx.pool.query("DELETE FROM blog.cached_dresses WHERE external_id = 'bench-stampede'");
  const answers = await Promise.all(
    Array.from({ length: 100 }, () =>
      fetch(url("bench-stampede")).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  const calls = (await fake(dressApi, "/calls?match=/dresses/bench-stampede")) as { calls?: unknown[]; count?: number };
  const upstreamCalls = Array.isArray(calls) ? calls.length : (calls.count ?? calls.calls?.length ?? NaN);
  await fake(dressApi, "/reset", {});

  console.log(`\nDress cache: GET /v1/blog/dresses/{externalId}, ${N} sequential requests per layer`);
  console.log(table(["answered by", "p50 ms", "p99 ms", "mean ms", "PG trips/req", "Redis trips/req"], rows));
  console.log(
    `Colo Cache API: ${edgeHits.hit}/${edgeHits.requests} answered as hits, ${edge304.notModified}/${edge304.requests} conditional requests answered 304 (each with the PG/Redis trips above: 0 expected)`,
  );
  console.log(
    `100 concurrent requests for one cold key: ${answers.filter((s) => s === 200).length} × 200, ${upstreamCalls} upstream call(s) (must be 1)`,
  );
  return {
    layers: rows,
    edge: { hits: edgeHits.hit, hitRequests: edgeHits.requests, notModified: edge304.notModified, conditionalRequests: edge304.requests },
    stampede: { requests: 100, ok: answers.filter((s) => s === 200).length, upstreamCalls },
  };
}
