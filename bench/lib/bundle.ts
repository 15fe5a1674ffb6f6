/** Bundle size of the Worker (what `wrangler deploy` would upload) and which packages fill it. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);

export interface BundleReport {
  rawKiB: number;
  gzipKiB: number;
  /** share of the minified bundle by package, from the source map */
  byPackage: { name: string; kib: number }[];
}

export async function measureBundle(): Promise<BundleReport> {
  const outdir = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
  try {
    const wrangler = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
    await run(process.execPath, [wrangler, "deploy", "--dry-run", "--minify", "--env=", "--outdir", outdir], {
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" },
    });
    const js = readdirSync(outdir).find((f) => f.endsWith(".js"))!;
    const code = readFileSync(path.join(outdir, js));
    const map = JSON.parse(readFileSync(path.join(outdir, `${js}.map`), "utf8")) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    const bySource = new Map<string, number>();
    map.sources.forEach((src, i) => {
      const m = src.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      // drizzle-orm's own source maps point at ../src/…, which resolves to node_modules/src/…
      const name = m ? (m[1] === "src" ? "drizzle-orm" : m[1]!) : src.includes("/functions/") ? "(our modules)" : "(our platform)";
      bySource.set(name, (bySource.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
    });
    // Source sizes are unminified; scale them to the minified bundle so the shares add up.
    const totalSrc = [...bySource.values()].reduce((a, b) => a + b, 0) || 1;
    const byPackage = [...bySource.entries()]
      .map(([name, n]) => ({ name, kib: (n / totalSrc) * (code.length / 1024) }))
      .sort((a, b) => b.kib - a.kib);
    return { rawKiB: code.length / 1024, gzipKiB: gzipSync(code).length / 1024, byPackage };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
