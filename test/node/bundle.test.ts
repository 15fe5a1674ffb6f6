/** `wrangler deploy --dry-run` must bundle the Worker: bundling errors fail here, fast, and so does a bundle over 300 KiB gzip. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const outdir = mkdtempSync(path.join(tmpdir(), "bundle-"));
const wrangler = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

describe("wrangler deploy --dry-run", () => {
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("builds the Worker bundle with every binding", async () => {
    const { stdout } = await run(process.execPath, [wrangler, "deploy", "--dry-run", "--minify", "--env=", "--outdir", outdir], {
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
      timeout: 120_000,
    });
    expect(stdout).toContain("--dry-run: exiting now.");
    expect(stdout).toMatch(/env\.FILES \(edge-backend-files\)\s+R2 Bucket/);
    const file = readdirSync(outdir).find((f) => f.endsWith(".js"));
    expect(file).toBeDefined();
    const code = readFileSync(path.join(outdir, file!));
    const gzipKiB = gzipSync(code).length / 1024;
    console.log(`bundle: ${(code.length / 1024).toFixed(1)} KiB, ${gzipKiB.toFixed(1)} KiB gzip`);
    expect(code.toString()).toContain("problem+json");
    // issue 16: five modules in one small bundle (npm run bench -- --only bundle prints what fills it)
    expect(gzipKiB).toBeLessThanOrEqual(300);
  }, 120_000);
});
