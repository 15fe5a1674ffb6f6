/**
 * The module boundary and the module list, checked on the source (the layering of src/ is checked by
 * dependency-cruiser, `npm run lint:deps`):
 * - only src/modules.ts and a module's own tests (test/worker/<m>/) import from functions/<m>/; test/node/
 *   is exempt (its schema checks compare each module's schema with the seed documents);
 * - no module imports another module;
 * - every sweep of every module names one of wrangler.toml's crons, and src/cron/crons.ts lists exactly those.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CRONS } from "../../src/cron/crons";
import { modules } from "../../src/modules";

const root = resolve(__dirname, "../..");
const scanned = ["src", "functions", "test", "drizzle", "bench"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative import specifiers of a file, resolved to repo-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(root, resolve(dirname(file), s)));
}

const moduleOf = (path: string) => /^functions\/([^/]+)\//.exec(path)?.[1];

const files = [
  ...scanned.flatMap((d) => tsFiles(join(root, d))),
  ...readdirSync(root)
    .filter((n) => n.endsWith(".ts"))
    .map((n) => join(root, n)),
].map((f) => relative(root, f));

describe("module boundary", () => {
  it("only src/modules.ts and the module's own tests import a module", () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const target of importsOf(join(root, file))) {
        const m = moduleOf(`${target}/`) ?? moduleOf(target);
        if (!m) continue;
        const allowed =
          file === "src/modules.ts" ||
          file.startsWith(`functions/${m}/`) ||
          file.startsWith(`test/worker/${m}/`) ||
          file.startsWith("test/node/");
        if (!allowed) offenders.push(`${file} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no module imports another module", () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => f.startsWith("functions/"))) {
      const own = moduleOf(file);
      for (const target of importsOf(join(root, file))) {
        const m = moduleOf(`${target}/`) ?? moduleOf(target);
        if (m && m !== own) offenders.push(`${file} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the check itself sees module imports (src/modules.ts imports every module)", () => {
    const seen = importsOf(join(root, "src/modules.ts"))
      .map((t) => moduleOf(`${t}/`))
      .filter(Boolean)
      .sort();
    expect(seen).toEqual(modules.map((m) => m.name).sort());
  });
});

describe("module list", () => {
  it("names each module after its folder, once", () => {
    const names = modules.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(statSync(join(root, "functions", name, "index.ts")).isFile()).toBe(true);
  });

  it("every sweep names a cron of wrangler.toml, and src/cron/crons.ts lists exactly wrangler.toml's crons", () => {
    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    const lists = [...toml.matchAll(/^crons\s*=\s*\[([^\]]*)\]/gm)].map((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((q) => q[1]!));
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect([...list].sort()).toEqual([...CRONS].sort());
    const wranglerCrons = new Set(lists.flat());
    const bad = modules.flatMap((m) =>
      (m.sweeps ?? []).filter((s) => !wranglerCrons.has(s.cron)).map((s) => `${m.name}: ${s.name} on "${s.cron}"`),
    );
    expect(bad).toEqual([]);
    expect(modules.flatMap((m) => m.sweeps ?? []).length).toBeGreaterThan(0);
  });
});
