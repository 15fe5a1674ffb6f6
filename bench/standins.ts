/**
 * `npm run bench:standins`: how much latency each local stand-in adds over talking to the
 * real server directly (p50/p99 over ≥1,000 sequential queries). Target: < 1 ms at p50.
 */
import { startPostgres } from "../test/local/postgres.js";
import { startRedis } from "../test/local/redis.js";
import { createDatabase } from "../test/local/databases.js";
import { benchNeon } from "./standins/neon.js";
import { benchUpstash } from "./standins/upstash.js";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
const fmt = (n: number) => n.toFixed(3).padStart(9);

async function main() {
  console.log(`starting postgres and redis … (${iterations} queries each)`);
  const pg = await startPostgres({ database: "postgres" });
  const redis = await startRedis();
  try {
    const url = await createDatabase(pg.url, "bench_standins", { recreate: true });
    console.log("neon stand-in …");
    const neon = await benchNeon({ backendUrl: url, iterations });
    console.log("upstash stand-in …");
    const upstash = await benchUpstash({ redisPort: redis.port, iterations });
    console.log("\n| stand-in | direct p50 ms | direct p99 ms | via stand-in p50 ms | via stand-in p99 ms | added p50 ms | added p99 ms |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const r of [neon, upstash]) {
      console.log(
        `| ${r.name} | ${fmt(r.direct.p50)} | ${fmt(r.direct.p99)} | ${fmt(r.standin.p50)} | ${fmt(r.standin.p99)} | ${fmt(r.standin.p50 - r.direct.p50)} | ${fmt(r.standin.p99 - r.direct.p99)} |`,
      );
    }
  } finally {
    await redis.stop();
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
