/**
 * Issue 15 §2, the tenant isolation matrix (OWASP API1) over every operation of /openapi.json with an id in its
 * path, query or body: tenant A's objects (made per module in tenants/<module>.ts) are invisible and untouchable
 * for tenant B — 404 for read, update and delete by id; a reference to them inside B's writes is answered exactly
 * like a reference to nothing; a list filtered by A's id shows B nothing of A's — and A's rows, read back from
 * Postgres, are byte-for-byte the same afterwards. Every list B can read is also checked for A's ids.
 * An id-bearing operation with neither a case nor an exemption (with its reason) fails the coverage test.
 */
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { captureLogs } from "./logs";
import { fillPath, loadOperations, type Operation } from "./operations";
import { type Sent, send } from "./send";
import { blog } from "./tenants/blog";
import { chat } from "./tenants/chat";
import { influencer } from "./tenants/influencer";
import { marketing } from "./tenants/marketing";
import { scheduler } from "./tenants/scheduler";
import type { IsolationCase, Seeded, TenantModule } from "./tenants/types";

const logs = captureLogs("isolation-matrix");
const tenantModules: TenantModule[] = [marketing, blog, chat, scheduler, influencer];

const { doc, operations } = await loadOperations();
const ID_NAME = /^id$|Id$|Ids$|^key$/;

const deref = (s: any): any => (s?.$ref ? doc.components.schemas[String(s.$ref).split("/").pop()!] : s);
/** Where an operation carries an id: `{param}` in its path, an id-named query parameter or body field. */
function idPlaces(o: Operation): string[] {
  const places = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => `path:${m[1]}`);
  for (const p of o.op.parameters ?? []) if (p.in === "query" && ID_NAME.test(p.name)) places.push(`query:${p.name}`);
  const body = deref(o.op.requestBody?.content?.["application/json"]?.schema);
  for (const name of Object.keys(body?.properties ?? {})) if (ID_NAME.test(name)) places.push(`body:${name}`);
  return places;
}

const idOps = operations.filter((o) => idPlaces(o).length > 0);
const tested = new Map<string, number>();
const failures: string[] = [];
const figures = { requests: 0, rowsCompared: 0, listsChecked: 0 };

async function request(o: Operation, who: Record<string, string>, c: IsolationCase, body = c.body): Promise<Sent> {
  const qs = c.query ? `?${new URLSearchParams(c.query)}` : "";
  figures.requests++;
  return send(o.method, `${fillPath(o.path, c.params)}${qs}`, { headers: who, body });
}

/** A's rows in the module's schema: every row whose JSON names A's user id or one of A's object ids. */
async function rowsOf(schema: string, s: Seeded): Promise<string[]> {
  const tables = await sql<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
    [schema],
  );
  const needles = [s.a.subject, ...Object.values(s.ids)].filter((v) => v.length >= 8);
  const out: string[] = [];
  for (const { t } of tables) {
    const rows = await sql<{ j: string }>(
      `SELECT row_to_json(x)::text AS j FROM "${schema}"."${t}" x WHERE row_to_json(x)::text LIKE ANY ($1::text[]) ORDER BY 1`,
      [needles.map((n) => `%${n.replace(/[%_\\]/g, "\\$&")}%`)],
    );
    out.push(...rows.map((r) => `${t} ${r.j}`));
  }
  return out;
}

const methodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const swapIds = (v: unknown, ids: string[]): unknown => {
  let text = JSON.stringify(v);
  for (const id of ids) text = text.split(id).join(crypto.randomUUID());
  return JSON.parse(text);
};

async function runModule(m: TenantModule) {
  const s = await m.seed();
  const aIds = Object.values(s.ids).filter((v) => v.length >= 8);
  const planned: { o: Operation; c: IsolationCase }[] = [];
  for (const [route, make] of Object.entries(m.cases)) {
    const o = operations.find((x) => x.route === route);
    if (!o) {
      failures.push(`${route}: a case for a route that is not in /openapi.json`);
      continue;
    }
    for (const c of make(s)) planned.push({ o, c });
  }
  planned.sort((x, y) => methodOrder.indexOf(x.o.method) - methodOrder.indexOf(y.o.method));

  // Control: A reads its own objects by the same ids (so B's 404 is about ownership, not a wrong id).
  for (const { o, c } of planned) {
    if (o.method !== "GET" || c.kind !== "path" || c.control === false) continue;
    const r = await request(o, s.a.headers, c);
    if (r.status !== 200) failures.push(`${o.route} [control]: A's own read answered ${r.status} ${r.text.slice(0, 160)}`);
  }

  const before = await rowsOf(m.module, s);
  if (before.length < 2) failures.push(`${m.module}: found only ${before.length} of A's rows — the snapshot would prove nothing`);

  for (const { o, c } of planned) {
    const label = `${o.route} [${c.kind}${c.params ? ` ${JSON.stringify(c.params)}` : ""}]`;
    const r = await request(o, s.b.headers, c);
    tested.set(o.route, (tested.get(o.route) ?? 0) + 1);
    if (c.kind === "path") {
      if (r.status !== 404 || r.headers.get("content-type") !== "application/problem+json")
        failures.push(`${label}: expected 404 problem, got ${r.status} ${r.text.slice(0, 200)}`);
    } else if (c.kind === "reference") {
      const nothing = await request(o, s.b.headers, c, c.nothingBody ?? swapIds(c.body, aIds));
      if (![404, 422].includes(r.status) || r.status !== nothing.status || r.json?.type !== nothing.json?.type)
        failures.push(
          `${label}: A's id answered ${r.status} ${r.json?.type}, an unknown id ${nothing.status} ${nothing.json?.type} (must be the same 404/422) — ${r.text.slice(0, 160)}`,
        );
    } else {
      const leaked = aIds.filter((id) => r.text.includes(id));
      const why = c.leaks?.(r.json) ?? null;
      if (r.status !== 200 || leaked.length || why)
        failures.push(
          `${label}: expected 200 without A's objects, got ${r.status}${leaked.length ? ` naming ${leaked.join(",")}` : ""} ${why ?? ""}`,
        );
    }
  }

  // Every list B can read without an id: nothing of A's in it.
  for (const o of operations.filter((x) => x.module === m.module && x.method === "GET" && !x.path.includes("{"))) {
    if (o.security.length === 0 || o.security.includes("adminToken")) continue; // public or admin
    if ((o.op.parameters ?? []).some((p: any) => p.in === "query" && p.required)) continue; // a lookup, not a list
    const r = await request(o, s.b.headers, { kind: "filter" });
    figures.listsChecked++;
    const leaked = aIds.filter((id) => r.text.includes(id));
    if (r.status !== 200 || leaked.length)
      failures.push(`${o.route} [B's list]: got ${r.status}${leaked.length ? ` naming A's ${leaked.join(",")}` : ""}`);
  }

  const after = await rowsOf(m.module, s);
  figures.rowsCompared += before.length;
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    const gone = before.filter((r) => !after.includes(r));
    const added = after.filter((r) => !before.includes(r));
    failures.push(
      `${m.module}: A's rows changed — before ${gone.map((r) => r.slice(0, 200)).join(" | ")} — after ${added.map((r) => r.slice(0, 200)).join(" | ")}`,
    );
  }
}

afterAll(() => {
  const exempt = Object.assign({}, ...tenantModules.map((m) => m.exempt)) as Record<string, string>;
  const rows = [...new Set(idOps.map((o) => o.module))].map((mod) => {
    const ops = idOps.filter((o) => o.module === mod);
    const t = ops.filter((o) => tested.has(o.route)).length;
    const e = ops.filter((o) => !tested.has(o.route) && exempt[o.route]).length;
    return `| ${mod} | ${ops.length} | ${t} | ${e} | ${ops.length - t - e} | ${ops.reduce((n, o) => n + (tested.get(o.route) ?? 0), 0)} |`;
  });
  const covered = idOps.filter((o) => tested.has(o.route) || exempt[o.route]).length;
  console.log(
    [
      "ISOLATION-MATRIX",
      "| module | operations with ids | tested | exempt | uncovered | B's requests |",
      "|---|---:|---:|---:|---:|---:|",
      ...rows,
      `coverage: ${covered}/${idOps.length} id-bearing operations (${((100 * covered) / idOps.length).toFixed(1)}%) of ${operations.length}; ${figures.requests} requests, ${figures.listsChecked} lists checked, ${figures.rowsCompared} of A's rows compared byte for byte`,
      "exempt:",
      ...Object.entries(exempt).map(([r, why]) => `  ${r}: ${why}`),
    ].join("\n"),
  );
});

describe("tenant isolation matrix", () => {
  for (const m of tenantModules.filter((x) => Object.keys(x.cases).length)) {
    it(`${m.module}: B cannot see, change, delete or reference A's objects, and A's rows are unchanged`, { timeout: 120_000 }, async () => {
      const before = failures.length;
      await runModule(m);
      expect(failures.slice(before)).toEqual([]);
    });
  }

  it("covers every operation with an id in its path, query or body (tested, or exempt with a reason)", () => {
    const exempt = Object.assign({}, ...tenantModules.map((m) => m.exempt)) as Record<string, string>;
    for (const [route, why] of Object.entries(exempt)) {
      expect(
        operations.some((o) => o.route === route),
        `exemption for unknown route ${route}`,
      ).toBe(true);
      expect(why.length, `${route} needs a reason`).toBeGreaterThan(10);
    }
    const uncovered = idOps.filter((o) => !tested.has(o.route) && !exempt[o.route]).map((o) => `${o.route} (${idPlaces(o).join(", ")})`);
    expect(uncovered).toEqual([]);
  });

  it("wrote no secret into any log line", () => {
    logs.assertClean();
  });
});
