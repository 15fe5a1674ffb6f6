/**
 * Bundle size of the Worker (what `wrangler deploy` would upload), which packages fill it, and its start-up time.
 *
 * Shares come from the source map's mappings: every span of minified output is attributed to the source file it was
 * generated from (so a package counts what survives tree-shaking, not the size of its sources). "gzip alone" is the
 * package's spans compressed on their own: an upper bound of what it adds to the compressed upload.
 * Start-up: `wrangler check startup` runs the bundle's global scope in local workerd and writes a CPU profile;
 * reported is the profile's busy time (all samples but idle), which is what the platform's start-up limit counts.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);
const wranglerBin = () => path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const quiet = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" };

export interface BundleReport {
  rawKiB: number;
  gzipKiB: number;
  /** wrangler's own "Total Upload: … / gzip: …" figures */
  wrangler: { uploadKiB: number; gzipKiB: number };
  /** minified bytes per package, from the source map's mappings */
  byPackage: { name: string; kib: number; gzipAloneKiB: number }[];
  startup?: StartupReport;
}

export interface StartupReport {
  /** CPU busy time of the global scope evaluation (profile samples that are not idle) */
  busyMs: number;
  /** the profile's wall-clock span */
  spanMs: number;
  /** busiest functions by self time */
  top: { name: string; ms: number }[];
}

export async function measureBundle(opts: { startup?: boolean; config?: string } = {}): Promise<BundleReport> {
  const outdir = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
  try {
    const { stdout } = await run(
      process.execPath,
      [wranglerBin(), "deploy", "--dry-run", "--minify", "--env=", "--outdir", outdir, ...(opts.config ? ["-c", opts.config] : [])],
      { env: quiet, maxBuffer: 16 * 1024 * 1024 },
    );
    const m = stdout.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
    const js = readdirSync(outdir).find((f) => f.endsWith(".js"))!;
    const code = readFileSync(path.join(outdir, js), "utf8");
    const map = JSON.parse(readFileSync(path.join(outdir, `${js}.map`), "utf8")) as { sources: string[]; mappings: string };
    const bytes = Buffer.byteLength(code);
    return {
      rawKiB: bytes / 1024,
      gzipKiB: gzipSync(code).length / 1024,
      wrangler: { uploadKiB: Number(m?.[1] ?? NaN), gzipKiB: Number(m?.[2] ?? NaN) },
      byPackage: attribute(code, map),
      startup: opts.startup ? await measureStartup(opts.config) : undefined,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * `wrangler check startup` (it builds the Worker itself: its `--worker` wants the multipart upload of
 * `wrangler deploy --outfile`, not the script) → busy CPU time of the global scope.
 */
export async function measureStartup(config?: string): Promise<StartupReport> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-startup-"));
  try {
    const outfile = path.join(dir, "startup.cpuprofile");
    await run(process.execPath, [wranglerBin(), "check", "startup", "--outfile", outfile, ...(config ? ["-c", config] : [])], {
      env: quiet,
      maxBuffer: 16 * 1024 * 1024,
    });
    const p = JSON.parse(readFileSync(outfile, "utf8")) as {
      nodes: { id: number; callFrame: { functionName: string; url: string } }[];
      startTime: number;
      endTime: number;
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
    const self = new Map<string, number>();
    let busy = 0;
    p.samples.forEach((id, i) => {
      const f = byId.get(id);
      const name = f?.functionName || "(anonymous)";
      if (name === "(idle)") return;
      const us = p.timeDeltas[i] ?? 0;
      busy += us;
      self.set(name, (self.get(name) ?? 0) + us);
    });
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, us]) => ({ name, ms: us / 1000 }));
    return { busyMs: busy / 1000, spanMs: (p.endTime - p.startTime) / 1000, top };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** One source-map segment: base64 VLQ → signed integers. */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`source map: bad VLQ digit ${ch}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** node_modules/<pkg>/… (pnpm's .pnpm/<x>/node_modules/<pkg>/… too) → <pkg>; our own files → (our modules)/(our platform). */
function packageOf(source: string): string {
  const m = source.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1] === "src" ? "drizzle-orm" : m[1]!; // drizzle-orm's maps point at ../src/…
  return source.includes("/functions/") ? "(our modules)" : "(our platform)";
}

/** Minified text per package, by walking the mappings: each generated span belongs to the source of its segment. */
export function attribute(code: string, map: { sources: string[]; mappings: string }): BundleReport["byPackage"] {
  const names = map.sources.map(packageOf);
  const spans = new Map<string, string[]>();
  const add = (name: string, text: string) => {
    const list = spans.get(name) ?? [];
    list.push(text);
    spans.set(name, list);
  };
  const lines = code.split("\n");
  let source = 0;
  map.mappings.split(";").forEach((line, li) => {
    const text = lines[li] ?? "";
    let col = 0;
    let open: { col: number; name: string } | undefined;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      col += f[0]!;
      if (open) add(open.name, text.slice(open.col, col));
      if (f.length >= 4) {
        source += f[1]!;
        open = { col, name: names[source] ?? "(unmapped)" };
      } else open = { col, name: "(unmapped)" };
    }
    if (open) add(open.name, text.slice(open.col));
  });
  return [...spans.entries()]
    .map(([name, parts]) => {
      const joined = parts.join("");
      return { name, kib: Buffer.byteLength(joined) / 1024, gzipAloneKiB: gzipSync(joined).length / 1024 };
    })
    .sort((a, b) => b.kib - a.kib);
}
