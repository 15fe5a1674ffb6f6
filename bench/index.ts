/**
 * `npm run bench`: the Worker under `wrangler dev` (workerd) against the real local stack,
 * side by side with a conventional Node server, plus cache, sweep and bundle figures.
 *
 * Modelled latency, the number a user far from the database would feel:
 *   worker:       local p50 + Postgres round trips × EDGE_RTT_MS + Redis round trips × REDIS_RTT_MS
 *   conventional: local p50 + USER_RTT_MS (the user's request travels to the one region; its DB is next door)
 * The Worker runs as its deploy bundle in workerd (Miniflare); BENCH_RUNTIME=wrangler-dev runs it under wrangler dev.
 * Env: BENCH_DURATION (s, default 6), BENCH_CONNECTIONS (10), EDGE_RTT_MS (25), REDIS_RTT_MS (5), USER_RTT_MS (25),
 *      BENCH_SWEEP_SIZES (10000,100000,1000000), BENCH_ONLY or `--only a,b` (comma list of sections:
 *      routes,audit,cache,sweeps,worldwide,bundle; worldwide measures the routes it models even when routes is not listed).
 * The worldwide section (bench/sections/worldwide.ts) replaces the three fixed RTTs above with a sourced matrix.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { seedDatabase } from "../drizzle/seed/run.js";
import { startStackProcess } from "../test/local/stack-process.js";
import { startConventional } from "./conventional/server.js";
import type { BenchContext } from "./lib/context.js";
import { latency, load } from "./lib/load.js";
import { type RouteRow, svgChart, table } from "./lib/report.js";
import { startBundledWorker } from "./lib/miniflare.js";
import { LIFTED_LIMITS, progressLog, runScript } from "./lib/script.js";
import { startWorker } from "./lib/wrangler.js";
import { scenarios } from "./scenarios.js";
import { extraSections } from "./sections.js";
import { bundleSection } from "./sections/bundle.js";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const DURATION = env("BENCH_DURATION", 6);
const CONNECTIONS = env("BENCH_CONNECTIONS", 10);
const EDGE_RTT = env("EDGE_RTT_MS", 25);
const REDIS_RTT = env("REDIS_RTT_MS", 5);
const USER_RTT = env("USER_RTT_MS", 25);
const onlyArg = process.argv.indexOf("--only");
const only = (onlyArg >= 0 ? process.argv[onlyArg + 1] : process.env.BENCH_ONLY)?.split(",");
const want = (s: string) => !only || only.includes(s);

const log = progressLog("bench");

async function main() {
  const results: Record<string, unknown> = {
    settings: { DURATION, CONNECTIONS, EDGE_RTT, REDIS_RTT, USER_RTT, runtime: process.env.BENCH_RUNTIME ?? "miniflare" },
  };
  log("starting the local stack …");
  const stack = await startStackProcess({ database: "bench", fresh: true });
  await seedDatabase(stack.directUrl, () => {});
  const pool = new pg.Pool({ connectionString: stack.directUrl, max: 8 });
  pool.on("error", () => {}); // idle clients see the server stop at the end
  const fakes = (await extraSections.startFakes?.()) ?? {};
  const adminToken = "bench-admin-token-0123456789";
  const runtime = process.env.BENCH_RUNTIME === "wrangler-dev" ? "wrangler dev" : "miniflare (deploy bundle)";
  log(`starting the worker in workerd via ${runtime} …`);
  const worker = await (runtime === "wrangler dev" ? startWorker : startBundledWorker)({
    ...stack.bindings,
    ...fakes.bindings,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: "error",
    // the bench measures latency, not abuse limits
    ...LIFTED_LIMITS,
  });
  log(`worker ready in ${worker.startupMs} ms`);
  const conventional = await startConventional({ databaseUrl: stack.directUrl, redisPort: stack.redisPort ?? undefined });
  const ctx: BenchContext = { stack, worker, conventional, pool, adminToken, fakes: fakes.urls ?? {}, log };

  if (want("routes") || want("worldwide")) {
    const rows: RouteRow[] = [];
    for (const sc of scenarios) {
      log(`route: ${sc.name} (${sc.route}) …`);
      const plan = await sc.setup(ctx);
      // Two passes: latency with one connection (no queueing on this 2-core machine, where the Worker, the
      // stand-ins, Postgres and the load generator share the cores), throughput with BENCH_CONNECTIONS.
      const pass = async (url: string, request: typeof plan.worker, counters?: typeof stack) => {
        const lat = await latency({ url, request, seconds: DURATION / 2, amount: plan.amount && Math.floor(plan.amount / 3), counters });
        const thr = await load({
          url,
          request,
          durationSec: DURATION / 2,
          connections: CONNECTIONS,
          amount: plan.amount && Math.floor(plan.amount / 3),
        });
        return { ...pick(lat), rps: thr.rps, errors: lat.errors + lat.non2xx + thr.errors + thr.non2xx };
      };
      const w = await pass(worker.url, plan.worker, stack);
      const wNet = w.pgPerReq * EDGE_RTT + w.redisPerReq * REDIS_RTT;
      rows.push({ route: sc.name, server: "worker", ...w, modelledNetworkMs: wNet, modelledP50: w.p50 + wNet });
      if (plan.conventional) {
        const c = await pass(conventional.url, plan.conventional);
        rows.push({
          route: sc.name,
          server: "conventional",
          ...c,
          pgPerReq: NaN,
          redisPerReq: NaN,
          redisWritesPerReq: NaN,
          redisAfterPerReq: NaN,
          modelledNetworkMs: USER_RTT,
          modelledP50: c.p50 + USER_RTT,
        });
      }
    }
    console.log(
      `\nRoutes (latency: 1 connection, ${DURATION / 2} s; req/s: ${CONNECTIONS} connections, ${DURATION / 2} s; modelled: edge→DB ${EDGE_RTT} ms, edge→Redis ${REDIS_RTT} ms, user→region ${USER_RTT} ms)`,
    );
    console.log(
      table(
        ["route", "server", "req/s", "p50 ms", "p99 ms", "PG trips/req", "Redis trips/req", "modelled p50 ms", "errors"],
        rows.map((r) => [r.route, r.server, r.rps, r.p50, r.p99, r.pgPerReq, r.redisPerReq, r.modelledP50, r.errors]),
      ),
    );
    console.log("\nRatios (worker ÷ conventional)");
    console.log(
      table(
        ["route", "req/s", "local p50", "modelled p50"],
        [...new Set(rows.map((r) => r.route))].flatMap((route) => {
          const w = rows.find((r) => r.route === route && r.server === "worker");
          const c = rows.find((r) => r.route === route && r.server === "conventional");
          return w && c ? [[route, w.rps / c.rps, w.p50 / c.p50, w.modelledP50 / c.modelledP50]] : [];
        }),
      ),
    );
    results.routes = rows;
    ctx.routes = rows;
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/routes.svg", svgChart(rows, "Modelled p50 per route: worker vs conventional"));
  }

  for (const [name, section] of Object.entries(extraSections.sections)) {
    if (!want(name)) continue;
    log(`section: ${name} …`);
    results[name] = await section(ctx);
  }

  if (want("bundle")) {
    log("bundle …");
    results.bundle = await bundleSection({ startupMs: worker.startupMs, runtime });
  }

  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", JSON.stringify(results, null, 2));
  log("results written to bench/results/latest.json and bench/results/routes.svg");
  await pool.end();
  await conventional.stop();
  await worker.stop();
  await fakes.stop?.();
  await stack.stop();
}

function pick(r: Awaited<ReturnType<typeof load>>) {
  return {
    rps: r.rps,
    p50: r.p50,
    p95: r.p95,
    p99: r.p99,
    pgPerReq: r.pgPerReq,
    redisPerReq: r.redisPerReq,
    redisWritesPerReq: r.redisWritesPerReq,
    redisAfterPerReq: r.redisAfterPerReq,
    errors: r.errors + r.non2xx,
  };
}

runScript(main, log);
