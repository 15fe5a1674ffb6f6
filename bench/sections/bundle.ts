/**
 * The deploy bundle: size against the 300 KiB gzip target, what fills it, the start-up time of its global scope,
 * and what the zod alias (src/zod-bundle, wrangler.toml [alias]) saves, measured by building once without it.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { measureBundle } from "../lib/bundle.js";
import { table } from "../lib/report.js";

/** wrangler.toml minus the [alias] table, in the project root so that its relative paths still resolve */
function configWithoutAlias(): string {
  const file = ".bench-wrangler-full-zod.toml";
  const toml = readFileSync("wrangler.toml", "utf8").replace(/^\[alias\]\n(?:"[^"\n]+" = "[^"\n]+"\n)+/m, "");
  writeFileSync(file, toml);
  return file;
}

export async function bundleSection(worker: { startupMs: number; runtime: string }) {
  const b = await measureBundle({ startup: true });
  const full = configWithoutAlias();
  let withoutAlias: Awaited<ReturnType<typeof measureBundle>> | undefined;
  try {
    withoutAlias = await measureBundle({ config: full });
  } finally {
    rmSync(full, { force: true });
  }
  const zodOf = (r: typeof b) => r.byPackage.find((p) => p.name === "zod")?.kib ?? 0;
  console.log(
    `\nBundle: ${b.rawKiB.toFixed(1)} KiB minified, ${b.gzipKiB.toFixed(1)} KiB gzip (wrangler: ${b.wrangler.uploadKiB} KiB / gzip ${b.wrangler.gzipKiB} KiB; target ≤ 300 KiB gzip)`,
  );
  console.log(
    table(
      ["package", "KiB minified", "KiB gzip alone"],
      b.byPackage.slice(0, 14).map((p) => [p.name, p.kib, p.gzipAloneKiB]),
    ),
  );
  console.log("\nzod in the bundle (src/zod-bundle: zod's classic API without locales, z.core, JSON-Schema import and compiler)");
  console.log(
    table(
      ["build", "zod KiB minified", "bundle KiB minified", "wrangler gzip KiB"],
      [
        ["full zod (no alias)", zodOf(withoutAlias), withoutAlias.rawKiB, withoutAlias.wrangler.gzipKiB],
        ["zod alias (shipped)", zodOf(b), b.rawKiB, b.wrangler.gzipKiB],
      ],
    ),
  );
  const s = b.startup;
  console.log(
    `\nStart-up: global scope ${s ? `${s.busyMs.toFixed(0)} ms CPU busy (profile span ${s.spanMs.toFixed(0)} ms; wrangler check startup, local workerd, this machine's CPU)` : "not measured"}; ` +
      `worker ready (${worker.runtime}, to first /health answer) ${worker.startupMs} ms; platform limit 1000 ms`,
  );
  if (s)
    console.log(
      table(
        ["busiest at start-up (self time)", "ms"],
        s.top.map((t) => [t.name, t.ms]),
      ),
    );
  return {
    ...b,
    withoutAlias: { rawKiB: withoutAlias.rawKiB, wrangler: withoutAlias.wrangler, zodKiB: zodOf(withoutAlias) },
    workerReadyMs: worker.startupMs,
  };
}
