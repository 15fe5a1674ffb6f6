/**
 * `npm run fuzz` (issue 15 §3, the long run): the generators of test/fuzz/requests.ts against a running
 * `npm run dev`, FUZZ_RUNS requests per operation of its /openapi.json (default 10,000), each with a credential
 * of the operation's module (`npm run token`'s makers) or the admin token of .dev.vars. Prints a table per
 * operation (2xx / 4xx / 5xx / 503 "not configured" / other findings) and the first findings; exits 1 when there
 * are any. A dev stack lacks some integrations' secrets (Stripe, Clerk, QStash, the chat model key): their
 * documented 503 "… is not configured" is counted in its own column, not as a finding.
 * Env: FUZZ_URL (default http://127.0.0.1:8787), FUZZ_RUNS (10000), FUZZ_CONCURRENCY (8), FUZZ_ONLY (substring
 * of the route), FUZZ_SEED.
 */
import fc from "fast-check";
import { table } from "../../bench/lib/report.js";
import { readDevVars } from "../local/dev-vars.js";
import { makeDevToken } from "../local/token.js";
import { type FuzzOperation, fuzzRequests, judge } from "./requests.js";

const URL_BASE = (process.env.FUZZ_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const ONLY = process.env.FUZZ_ONLY;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const USER_MODULES = new Set(["marketing", "chat", "scheduler", "influencer"]);

interface Op extends FuzzOperation {
  route: string;
  module: string;
  security: string[];
}

async function main() {
  const doc = (await (await fetch(`${URL_BASE}/openapi.json`)).json()) as any;
  const ops: Op[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op?.operationId) continue;
      const route = `${method.toUpperCase()} ${path}`;
      if (ONLY && !route.includes(ONLY)) continue;
      ops.push({
        route,
        method: method.toUpperCase(),
        path,
        op,
        module: path.startsWith("/v1/") ? path.split("/")[2]! : "platform",
        security: (op.security ?? doc.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s)),
      });
    }
  }
  const admin = readDevVars().ADMIN_TOKEN;
  const tokens = new Map<string, string>();
  for (const m of USER_MODULES) tokens.set(m, await makeDevToken(m, `fuzz-${m}@example.com`, false));
  const headersFor = (o: Op): Record<string, string> => {
    const user = o.security.some((s) => s !== "adminToken" && !s.toLowerCase().includes("signature"));
    const t = tokens.get(o.module);
    if (user && t) return { Authorization: `Bearer ${t}` };
    if (o.security.includes("adminToken") && admin) return { Authorization: `Bearer ${admin}` };
    return {};
  };

  console.log(`fuzzing ${ops.length} operations × ${RUNS} requests at ${URL_BASE} (seed ${SEED}, concurrency ${CONCURRENCY})`);
  const rows: (string | number)[][] = [];
  const findings: string[] = [];
  let total = 0;
  const t0 = Date.now();
  for (const o of ops) {
    const stats = { s2xx: 0, s4xx: 0, s5xx: 0, unconfigured: 0, other: 0 };
    const arb = fuzzRequests(o, doc);
    let next = 0;
    let seed = SEED + o.route.length;
    // generated in batches, so 10,000 requests never sit in memory at once
    const batch = () => fc.sample(arb, { numRuns: Math.min(200, RUNS - next), seed: seed++ });
    let queue = batch();
    const worker = async () => {
      while (next < RUNS) {
        if (queue.length === 0) queue = batch();
        const r = queue.pop()!;
        next++;
        try {
          const res = await fetch(`${URL_BASE}${r.url}`, { method: r.method, headers: { ...headersFor(o), ...r.headers }, body: r.body });
          const text = await res.text();
          // a dev stack without that integration's secret answers its documented 503 "… is not configured"
          if (res.status === 503 && /not configured/.test(text)) {
            stats.unconfigured++;
            continue;
          }
          if (res.status >= 500) stats.s5xx++;
          else if (res.status >= 400) stats.s4xx++;
          else stats.s2xx++;
          const wrong = judge(res.status, res.headers.get("content-type"), text);
          if (wrong) {
            if (res.status < 500) stats.other++;
            if (findings.length < 50)
              findings.push(`${o.route} [${r.mutation}] ${r.method} ${r.url.slice(0, 100)} → ${wrong}: ${text.slice(0, 160)}`);
          }
        } catch (err) {
          stats.other++;
          if (findings.length < 50) findings.push(`${o.route} [${r.mutation}] → no answer: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    total += next;
    rows.push([
      o.route,
      String(next),
      String(stats.s2xx),
      String(stats.s4xx),
      String(stats.s5xx),
      String(stats.unconfigured),
      String(stats.other),
    ]);
    process.stdout.write(`${o.route}: ${next} sent, 5xx ${stats.s5xx}\n`);
  }
  console.log(`\n${table(["operation", "sent", "2xx", "4xx", "5xx", "503 not configured", "other findings"], rows)}`);
  console.log(`\n${total} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s; findings: ${findings.length}`);
  for (const f of findings) console.log(`  ! ${f}`);
  if (findings.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
