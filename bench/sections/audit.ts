/** The round-trip audit (test/worker/round-trip-audit.test.ts) run in workerd, its table reprinted here. */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function auditSection() {
  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
  let out = "";
  try {
    ({ stdout: out } = await run(
      process.execPath,
      [vitest, "run", "--config", "vitest.config.ts", "test/worker/round-trip-audit.test.ts"],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: "true" } },
    ));
  } catch (err) {
    out = (err as { stdout?: string }).stdout ?? "";
    console.log("round-trip audit FAILED: a route is over its budget (see OVER below)");
  }
  const table = out.slice(out.indexOf("AUDIT-BEGIN") + "AUDIT-BEGIN".length, out.indexOf("AUDIT-END")).trim();
  console.log(
    "\nRound trips per route and state (counted at the stand-ins; budget = Postgres round trips allowed, Redis budget = Upstash HTTP requests allowed)",
  );
  console.log(table);
  const rows = table
    .split("\n")
    .slice(2)
    .map((l) => l.split("|").map((c) => c.trim()));
  return rows.map((r) => ({
    route: r[1],
    state: r[2],
    postgres: Number(r[3]),
    budget: Number(r[4]),
    redis: Number(r[5]),
    redisBudget: Number(r[6]),
    verdict: r[7],
    exception: r[8],
  }));
}
