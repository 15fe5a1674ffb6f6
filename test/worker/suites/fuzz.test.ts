/**
 * Issue 15 §3, the bounded fuzz run in `npm test`: for every operation of /openapi.json, a few requests generated
 * from its own schema and mutated (test/fuzz/requests.ts), sent with a valid credential of the module (so they
 * reach the handlers). Every answer is 2xx or a 4xx problem+json that leaks nothing, never 5xx; a write answered
 * 4xx leaves the module's tables unchanged (row count and content hash of every table, before and after).
 * `npm run fuzz` (test/fuzz/run.ts) is the long run against `npm run dev`.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzRequest, fuzzRequests, judge } from "../../fuzz/requests";
import { chatApi, newStore, seedAgents } from "../blog/helpers";
import { captureLogs } from "./logs";
import { loadOperations, type Operation } from "./operations";
import { adminHeaders, mintTenant, type ModuleName, type Tenant } from "./principals";
import { send } from "./send";
import { snapshot } from "./snapshot";

const PER_OPERATION = 4;
const SEED = Math.floor(Math.random() * 2 ** 31);
const logs = captureLogs("fuzz");

/** Module → its Postgres schema (platform routes write nothing of a module's). */
const SCHEMAS: Record<string, string> = {
  marketing: "marketing",
  chat: "chat",
  scheduler: "scheduler",
  influencer: "influencer",
  blog: "blog",
};
const USER_SCHEMES = new Set(["apiKey", "session", "bearer", "supabase", "clerk", "userToken"]);

const tenants = new Map<string, Promise<Tenant>>();
function headersFor(o: Operation): Promise<Record<string, string>> | Record<string, string> {
  const user = o.security.some((s) => USER_SCHEMES.has(s) || (!s.toLowerCase().includes("signature") && s !== "adminToken"));
  if (user && o.module !== "blog" && SCHEMAS[o.module]) {
    if (!tenants.has(o.module)) tenants.set(o.module, mintTenant(o.module as ModuleName));
    return tenants.get(o.module)!.then((t) => t.headers);
  }
  if (o.security.includes("adminToken")) return adminHeaders();
  return {};
}

const tally = new Map<string, { sent: number; s2xx: number; s4xx: number; s5xx: number }>();
const findings: string[] = [];

/**
 * The brand-voice route fetches the store its body names. A fuzzed URL that would pass the outbound guard (a made-up
 * public host) is pointed at the local fake store instead: the run must not reach the internet, where an unreachable
 * host answers the documented 503 "store unavailable". URLs the guard refuses are sent as generated (they test the 400).
 */
function hermetic(r: FuzzRequest): FuzzRequest {
  if (r.method !== "POST" || r.url !== "/v1/blog/brand-voice" || !r.body) return r;
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return r;
  }
  const raw = (body as { url?: unknown } | null)?.url;
  if (typeof raw !== "string") return r;
  let host = "";
  try {
    host = new URL(raw.includes("://") ? raw : `https://${raw}`).hostname;
  } catch {
    return r;
  }
  if (!host.includes(".") || host === "127.0.0.1") return r;
  return { ...r, body: JSON.stringify({ ...(body as object), url: newStore("fuzz") }) };
}

async function fuzzOne(o: Operation, doc: any, generated: FuzzRequest) {
  const r = hermetic(generated);
  const headers = { ...(await headersFor(o)), ...r.headers };
  const schema = SCHEMAS[o.module];
  const write = r.method !== "GET" && r.method !== "HEAD";
  const before = write && schema ? await snapshot(schema) : undefined;
  const res = await send(r.method, r.url, { headers, body: r.body });
  const t = tally.get(o.route) ?? { sent: 0, s2xx: 0, s4xx: 0, s5xx: 0 };
  t.sent++;
  if (res.status >= 500) t.s5xx++;
  else if (res.status >= 400) t.s4xx++;
  else t.s2xx++;
  tally.set(o.route, t);
  const wrong = judge(res.status, res.headers.get("content-type"), res.text);
  if (wrong) findings.push(`${o.route} [${r.mutation}] ${r.method} ${r.url.slice(0, 120)} → ${wrong}: ${res.text.slice(0, 200)}`);
  if (before && res.status >= 400) {
    const after = await snapshot(schema!);
    const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
    if (changed.length) findings.push(`${o.route} [${r.mutation}] answered ${res.status} but changed ${changed.join(", ")}`);
  }
  void doc;
}

// Configured as in production, so requests reach the handlers rather than the documented 503 "no model key set";
// the fake model answers a brand voice for the fake store's fuzz pages (their text names the `/fuzz-…` path).
beforeAll(async () => {
  await seedAgents();
  await chatApi.rules([
    {
      match: "/fuzz-",
      json: {
        tone: "warm",
        personality: ["romantic"],
        audience: "brides-to-be",
        vocabulary: ["timeless"],
        avoid: ["cheap"],
        summary: "A warm voice.",
      },
    },
  ]);
});

afterAll(async () => {
  await chatApi.reset();
  const rows = [...tally].sort(([a], [b]) => a.localeCompare(b));
  const sum = rows.reduce((n, [, t]) => n + t.sent, 0);
  console.log(`fuzz (seed ${SEED}): ${sum} requests over ${rows.length} operations`);
  console.log(rows.map(([route, t]) => `${route.padEnd(60)} sent ${t.sent} 2xx ${t.s2xx} 4xx ${t.s4xx} 5xx ${t.s5xx}`).join("\n"));
});

describe("fuzzing from the schema (bounded run)", () => {
  it(`${PER_OPERATION} mutated requests per operation: 2xx or 4xx problem+json, never 5xx; rejected writes change nothing`, async () => {
    const { doc, operations } = await loadOperations();
    expect(operations.length).toBeGreaterThan(50);
    for (const o of operations) {
      const samples = fc.sample(fuzzRequests(o, doc), { numRuns: PER_OPERATION, seed: SEED + o.route.length });
      for (const r of samples) await fuzzOne(o, doc, r);
    }
    expect(findings, `seed ${SEED}`).toEqual([]);
    expect(tally.size).toBe(operations.length);
    logs.assertClean();
  }, 300_000);
});
