/**
 * The dress cache, layer by layer: latency of an answer from Redis, from Postgres, from the
 * origin (the dress API), and a stale answer while the origin fails; then 100 concurrent
 * requests for one cold key and how many origin calls they caused.
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
  const hit = async (id: string, expect: string) => {
    const res = await fetch(url(id));
    await res.arrayBuffer();
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
    `100 concurrent requests for one cold key: ${answers.filter((s) => s === 200).length} × 200, ${upstreamCalls} upstream call(s) (must be 1)`,
  );
  return { layers: rows, stampede: { requests: 100, ok: answers.filter((s) => s === 200).length, upstreamCalls } };
}
