/**
 * Node-side checks of /openapi.json that keep every future module consumable by the ecosystem's tools:
 * stable module-prefixed operationIds and a module tag on every operation, Redocly's recommended rules
 * with no error and no warning, and committed client types that match the document.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type OpenApiDocument, openApiDocument, renderTypes, TYPES_FILE } from "./spec";

const run = promisify(execFile);
const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

let doc: OpenApiDocument;
beforeAll(async () => {
  doc = await openApiDocument();
});

function operations() {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.has(m))
      .map(([method, op]) => ({
        name: `${method.toUpperCase()} ${p}`,
        // /v1/<module>/… belongs to <module>; everything else (/health) to the platform
        module: /^\/v1\/([^/]+)\//.exec(p)?.[1] ?? "platform",
        op: op as { operationId?: string; tags?: string[]; responses?: Record<string, unknown> },
      })),
  );
}

describe("/openapi.json", () => {
  it("names every operation <module><Action> in camelCase, once, and tags it with its module", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    const bad = ops.filter(
      ({ module, op }) => !op.operationId?.startsWith(module) || !/^[a-z][A-Za-z0-9]*$/.test(op.operationId) || !op.tags?.includes(module),
    );
    expect(bad.map((o) => `${o.name}: ${o.op.operationId ?? "no operationId"} [${o.op.tags ?? "no tag"}]`)).toEqual([]);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("declares at least one 4xx answer on every operation", () => {
    const bad = operations().filter(({ op }) => !Object.keys(op.responses ?? {}).some((s) => /^4\d\d$/.test(s)));
    expect(bad.map((o) => o.name)).toEqual([]);
  });

  it("passes `redocly lint` (recommended rules) with 0 errors and 0 warnings", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-lint-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc, null, 2));
      const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");
      const config = path.resolve(import.meta.dirname, "../../redocly.yaml");
      // exits 1 on errors, so read the JSON report either way
      const out = await run(process.execPath, [cli, "lint", file, "--config", config, "--format=json"], {
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", CI: "true" },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
      const report = JSON.parse(out.stdout) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("matches the committed client types (run `npm run client` after changing a route)", async () => {
    expect(readFileSync(TYPES_FILE, "utf8") === (await renderTypes(doc)), "test/client/api.d.ts is stale: run `npm run client`").toBe(true);
  });
});
