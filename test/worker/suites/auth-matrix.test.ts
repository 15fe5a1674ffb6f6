/**
 * Issue 15 §1, the auth matrix over every operation of /openapi.json:
 * - user routes (security apiKey/session): no credentials → 401 + WWW-Authenticate; malformed, expired, wrongly
 *   signed, revoked and other modules' credentials → 401 + WWW-Authenticate error="invalid_token"; a valid
 *   credential of the module's kind is let through (neither 401 nor 403), so the matrix is not vacuous;
 * - admin routes (adminToken only): no credentials → 401; a wrong admin token or any refused credential → 401 +
 *   error="invalid_token"; a valid credential of the module's own users → 403 (the module's admin middleware
 *   authenticates a bearer that is not the admin token as a user first); the admin token is let through;
 * - admin-or-user routes (adminToken or a module session whose role check runs, e.g. influencer's is_admin):
 *   refused credentials → 401, a valid non-admin → 403, an admin session and the admin token are let through;
 * - signed callbacks: no signature, a forged one, or a bearer token instead → 400 /problems/invalid-signature;
 * - public routes: an explicit list with reasons; answered without credentials (never 401/403).
 * An operation in none of these fails the coverage test; the coverage table is printed.
 */
import { afterAll, describe, expect, it } from "vitest";
import { captureLogs } from "./logs";
import { fillPath, loadOperations, type Operation } from "./operations";
import {
  ADMIN_TOKEN,
  adminHeaders,
  mintChatAdmin,
  mintInfluencerAdmin,
  mintSchedulerSession,
  mintTenant,
  type ModuleName,
  notApplicable,
  notTheAdminToken,
  type Refused,
  refusedCredentials,
} from "./principals";
import { bearerHeaders, type Sent, send } from "./send";

const logs = captureLogs("auth-matrix");

/** Routes anyone may call, and why. */
const PUBLIC: Record<string, string> = {
  "GET /health": "liveness probe for load balancers and uptime checks; says nothing about data",
  "GET /v1/blog/dresses": "blog seed: the dress catalogue is public, rate-limited per IP",
  "GET /v1/blog/dresses/{externalId}": "blog seed: a public catalogue entry, rate-limited per IP",
  "POST /v1/blog/brand-voice": "blog seed: the public brand-voice analyser (rate-limited per IP, LLM budget limited)",
  "POST /v1/blog/sessions": "blog seed: anonymous writing sessions; the unguessable session id is the capability",
  "GET /v1/blog/sessions/{id}": "blog seed: read by the capability id its creator holds",
  "PATCH /v1/blog/sessions/{id}": "blog seed: edited by the capability id its creator holds",
  "POST /v1/blog/sessions/{id}/generate": "blog seed: generation started by the capability id its creator holds",
  "POST /v1/blog/sessions/{id}/retry": "blog seed: a failed generation retried by the capability id its creator holds",
  "GET /v1/chat/agent-definitions/public": "chat seed: the public agent catalogue (is_public definitions only)",
};

/** Signed callbacks (webhooks, queue deliveries): authenticated by a signature over the body, answered 400 when it fails. */
const SIGNED: Record<string, string> = {
  "POST /v1/chat/webhooks/stripe": "Stripe-Signature (HMAC-SHA256 over t.payload, STRIPE_WEBHOOK_SECRET)",
  "POST /v1/influencer/jobs/{id}/process": "Upstash-Signature (QStash JWT over URL and body hash, current or next signing key)",
  "POST /v1/influencer/webhooks/clerk": "svix-signature (Svix HMAC over id, timestamp and body, CLERK_WEBHOOK_SECRET)",
};
const SIGNATURE_HEADERS: Record<string, Record<string, string>> = {
  "POST /v1/chat/webhooks/stripe": { "Stripe-Signature": "t=1,v1=00" },
  "POST /v1/influencer/jobs/{id}/process": { "Upstash-Signature": "eyJhbGciOiJIUzI1NiJ9.e30.forged", "Upstash-Message-Id": "msg_forged" },
  "POST /v1/influencer/webhooks/clerk": {
    "svix-id": "msg_forged",
    "svix-timestamp": String(Math.floor(Date.now() / 1000)),
    "svix-signature": "v1,Zm9yZ2Vk",
  },
};

type Category = "user" | "admin" | "admin-or-user" | "signed" | "public";

function categoryOf(o: Operation): Category | { uncovered: string } {
  if (SIGNED[o.route]) return "signed";
  if (o.security.some((s) => /signature/i.test(s)))
    return { uncovered: "signed by its security scheme but not in SIGNED (add it with a reason)" };
  if (o.security.length === 0) return PUBLIC[o.route] ? "public" : { uncovered: "no security requirement and not in PUBLIC" };
  const admin = o.security.includes("adminToken");
  const user = o.security.some((s) => s === "apiKey" || s === "session");
  if (admin && user) return "admin-or-user";
  if (admin) return "admin";
  if (user) return "user";
  return { uncovered: `unknown security ${o.security.join(",")}` };
}

const { operations } = await loadOperations();
const coverage = new Map<string, { category: Category | "uncovered"; requests: number }>();
const failures: string[] = [];

const letThrough = (r: Sent) => r.status !== 401 && r.status !== 403;

async function check(o: Operation, label: string, headers: Record<string, string>, expectFn: (r: Sent) => string | null) {
  const body = ["POST", "PUT", "PATCH"].includes(o.method) ? {} : undefined;
  const r = await send(o.method, fillPath(o.path), { headers, body });
  const entry = coverage.get(o.route)!;
  entry.requests++;
  const why = expectFn(r);
  if (why) failures.push(`${o.route} [${label}]: ${why} — got ${r.status} ${r.text.slice(0, 160)}`);
}

const expect401 =
  (sentCredential: boolean) =>
  (r: Sent): string | null => {
    if (r.status !== 401) return "expected 401";
    if (r.headers.get("content-type") !== "application/problem+json") return "expected problem+json";
    const www = r.headers.get("WWW-Authenticate") ?? "";
    if (!/^Bearer\b/.test(www)) return "expected WWW-Authenticate: Bearer";
    if (sentCredential && !/error="invalid_token"/.test(www)) return 'expected WWW-Authenticate error="invalid_token"';
    return null;
  };
const expect403 = (r: Sent) =>
  r.status === 403 && r.headers.get("content-type") === "application/problem+json" ? null : "expected 403 problem";
/** A 5xx other than a documented 503 + Retry-After (a dependency or setting not available) is a bug. */
const serverError = (r: Sent) => r.status >= 500 && !(r.status === 503 && r.headers.get("Retry-After"));
const expectThrough = (r: Sent) =>
  !letThrough(r) ? "a valid credential was refused" : serverError(r) ? "a valid credential with an empty request got a 5xx" : null;
const expectInvalidSignature = (r: Sent) =>
  r.status === 400 && r.json?.type === "/problems/invalid-signature" ? null : "expected 400 invalid-signature";

const refusedCache = new Map<string, Promise<Refused[]>>();
const refusedFor = (m: Exclude<ModuleName, "blog">) => {
  if (!refusedCache.has(m)) refusedCache.set(m, refusedCredentials(m));
  return refusedCache.get(m)!;
};

async function runMatrix(o: Operation, category: Category) {
  const module = o.module as ModuleName;
  switch (category) {
    case "public":
      await check(o, "none", {}, (r) => (!letThrough(r) ? "a public route asked for credentials" : serverError(r) ? "5xx" : null));
      return;
    case "signed": {
      await check(o, "no-signature", {}, expectInvalidSignature);
      await check(o, "forged-signature", SIGNATURE_HEADERS[o.route] ?? {}, expectInvalidSignature);
      await check(o, "bearer-instead", adminHeaders(), expectInvalidSignature);
      return;
    }
    case "user": {
      if (module === "blog") throw new Error("blog has no user routes");
      await check(o, "none", {}, expect401(false));
      for (const c of await refusedFor(module)) await check(o, c.label, bearerHeaders(c.token), expect401(true));
      await check(o, "admin-token", adminHeaders(), expect401(true));
      await check(o, "valid", (await mintTenant(module)).headers, expectThrough);
      if (module === "scheduler") await check(o, "valid-session", (await mintSchedulerSession()).headers, expectThrough);
      return;
    }
    case "admin": {
      await check(o, "none", {}, expect401(false));
      for (const c of notTheAdminToken()) await check(o, c.label, bearerHeaders(c.token), expect401(true));
      if (module !== "blog") await check(o, "non-admin", (await mintTenant(module)).headers, expect403);
      await check(o, "admin-token", adminHeaders(), expectThrough);
      return;
    }
    case "admin-or-user": {
      if (module === "blog") throw new Error("blog has no user routes");
      await check(o, "none", {}, expect401(false));
      for (const c of await refusedFor(module)) await check(o, c.label, bearerHeaders(c.token), expect401(true));
      await check(o, "non-admin", (await mintTenant(module)).headers, expect403);
      const admin = module === "influencer" ? await mintInfluencerAdmin() : module === "chat" ? await mintChatAdmin() : undefined;
      if (!admin) failures.push(`${o.route}: no admin session minted for ${module} (add one to principals.ts)`);
      else await check(o, "admin-session", admin.headers, expectThrough);
      await check(o, "admin-token", bearerHeaders(ADMIN_TOKEN), expectThrough);
      return;
    }
  }
}

afterAll(() => {
  const modules = [...new Set(operations.map((o) => o.module))];
  const cats: (Category | "uncovered")[] = ["user", "admin", "admin-or-user", "signed", "public", "uncovered"];
  const rows = modules.map((m) => {
    const ops = operations.filter((o) => o.module === m);
    const counts = cats.map((c) => ops.filter((o) => coverage.get(o.route)?.category === c).length);
    const requests = ops.reduce((n, o) => n + (coverage.get(o.route)?.requests ?? 0), 0);
    return `| ${m} | ${ops.length} | ${counts.join(" | ")} | ${requests} |`;
  });
  const covered = operations.filter((o) => (coverage.get(o.route)?.requests ?? 0) > 0 && coverage.get(o.route)?.category !== "uncovered");
  console.log(
    [
      "AUTH-MATRIX",
      `| module | operations | ${cats.join(" | ")} | requests |`,
      `|---|---:|${cats.map(() => "---:").join("|")}|---:|`,
      ...rows,
      `coverage: ${covered.length}/${operations.length} operations (${((100 * covered.length) / operations.length).toFixed(1)}%)`,
      "not applicable:",
      ...Object.entries(notApplicable).flatMap(([m, r]) => Object.entries(r).map(([k, why]) => `  ${m} ${k}: ${why}`)),
    ].join("\n"),
  );
});

describe("auth matrix over /openapi.json", () => {
  for (const module of [...new Set(operations.map((o) => o.module))]) {
    it(`${module}: every operation refuses what it must and lets its own credential through`, { timeout: 300_000 }, async () => {
      const before = failures.length;
      for (const o of operations.filter((x) => x.module === module)) {
        const category = categoryOf(o);
        if (typeof category !== "string") {
          coverage.set(o.route, { category: "uncovered", requests: 0 });
          failures.push(`${o.route}: ${category.uncovered}`);
          continue;
        }
        coverage.set(o.route, { category, requests: 0 });
        await runMatrix(o, category);
      }
      expect(failures.slice(before)).toEqual([]);
    });
  }

  it("covers 100% of the operations (each tested in its category, or the suite fails)", () => {
    const uncovered = operations.filter(
      (o) => !coverage.has(o.route) || coverage.get(o.route)!.category === "uncovered" || !coverage.get(o.route)!.requests,
    );
    expect(uncovered.map((o) => o.route)).toEqual([]);
    expect(operations.length).toBeGreaterThan(100);
  });

  it("wrote no secret into any log line", () => {
    logs.assertClean();
  });
});
