/**
 * `npm run dev`: the whole API on this machine in one command.
 * Embedded Postgres (data kept in .local/pgdata) → migrations + seed data → Neon and
 * Upstash stand-ins → .dev.vars → `wrangler dev --test-scheduled` on 127.0.0.1:8787.
 * Ctrl-C stops all of it. `npm run dev -- --reset` starts from an empty database.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { seedDatabase } from "../../drizzle/seed/run.js";
import { onShutdown, stopAll, stopWhenOrphaned } from "./cleanup.js";
import { devIdentityVars, readDevVars, writeDevStack } from "./dev-vars.js";
import { startDressApi } from "./fakes/dress-api.js";
import { startScraperApi } from "./fakes/scraper-api.js";
import { startStack } from "./stack.js";

const PORT = Number(process.env.PORT ?? 8787);
const started = Date.now();
const say = (msg: string) => console.log(`[dev ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

async function main() {
  stopWhenOrphaned();
  say("starting the local stack …");
  const reset = process.argv.includes("--reset");
  if (reset) say("--reset: the dev database is dropped and created again");
  const stack = await startStack({ dataDir: ".local/pgdata", database: "main", fresh: reset, log: say }).catch((err) => {
    say(
      "could not start the stack. If the migrations in drizzle/ changed under an existing dev database, start over with: npm run dev -- --reset",
    );
    throw err;
  });
  say("seeding …");
  await seedDatabase(stack.directUrl, say);

  // Keep secrets a developer already chose; the stack's URLs change every run.
  const previous = readDevVars();
  // No dress API configured: serve a small sample catalogue from the local fake, so /v1/blog/dresses works.
  let dressApiUrl = previous.DRESS_API_URL && !previous.DRESS_API_URL.startsWith("http://127.0.0.1") ? previous.DRESS_API_URL : undefined;
  if (!dressApiUrl) {
    const fake = await startDressApi();
    onShutdown({ name: "dress-api", stop: () => fake.close(), kill: () => {} });
    await fetch(`${fake.controlUrl}/dresses`, { method: "POST", body: JSON.stringify({ items: sampleDresses() }) });
    dressApiUrl = fake.url;
    say(`dress API: local sample catalogue on ${fake.url} (set DRESS_API_URL in .dev.vars to use a real one)`);
  }
  // influencer: no scraper API configured → sample creators from the local fake (steps run on the JOBS queue locally).
  let scraperUrl =
    previous.SCRAPER_API_URL && !previous.SCRAPER_API_URL.startsWith("http://127.0.0.1") ? previous.SCRAPER_API_URL : undefined;
  if (!scraperUrl) {
    const fake = await startScraperApi();
    onShutdown({ name: "scraper-api", stop: () => fake.close(), kill: () => {} });
    await fetch(`${fake.controlUrl}/creators`, {
      method: "POST",
      body: JSON.stringify({ key: "*", items: sampleCreators(), pageSize: 10 }),
    });
    scraperUrl = fake.url;
    say(`scraper API: local sample creators on ${fake.url} (set SCRAPER_API_URL in .dev.vars to use a real one)`);
  }
  const vars: Record<string, string> = {
    ...previous, // whatever else the developer put there (OPENROUTER_BASE_URL, …) stays
    ADMIN_TOKEN: previous.ADMIN_TOKEN ?? `dev-admin-${randomBytes(12).toString("hex")}`,
    ...devIdentityVars(previous),
    // scheduler: the AES-GCM key endpoint secrets are encrypted with (keep it: a new key cannot open old secrets)
    SCHEDULER_SECRET_KEY: previous.SCHEDULER_SECRET_KEY ?? randomBytes(32).toString("base64"),
    ...stack.bindings,
    DRESS_API_URL: dressApiUrl,
    SCRAPER_API_URL: scraperUrl,
  };
  writeFileSync(
    ".dev.vars",
    `# written by npm run dev: the stand-in URLs change on every run, other values are kept\n${Object.entries(vars)
      .map(([k, v]) => `${k}="${v}"`)
      .join("\n")}\n`,
  );
  writeDevStack({ directUrl: stack.directUrl, api: `http://127.0.0.1:${PORT}` });
  if (!stack.upstash) say("hot cache is OFF (install redis-server to turn it on); every read goes to Postgres");

  say(`starting wrangler dev on http://127.0.0.1:${PORT} …`);
  const wrangler = spawn(
    process.execPath,
    [wranglerBin(), "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--test-scheduled", "--show-interactive-dev-session=false"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  onShutdown({
    name: "wrangler",
    stop: () =>
      new Promise<void>((resolve) => {
        if (wrangler.exitCode !== null) return resolve();
        wrangler.once("exit", () => resolve());
        wrangler.kill("SIGTERM");
      }),
    kill: () => {
      wrangler.kill("SIGKILL");
    },
  });
  wrangler.once("exit", (code) => {
    say(`wrangler exited (${code}); stopping`);
    void stopAll().then(() => process.exit(code ?? 1));
  });

  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok || res.status === 503) {
        const body = (await res.json()) as { status: string };
        say(`ready: health ${res.status} (${body.status})`);
        break;
      }
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`
  API         ${base}
  Health      ${base}/health
  Docs        ${base}/docs
  OpenAPI     ${base}/openapi.json
  Cron run    curl "${base}/__scheduled?cron=*+*+*+*+*"   (also */5 * * * * and 17 3 * * *)
  Dresses     ${base}/v1/blog/dresses   (X-Cache header: redis | postgres | origin | stale)
  Admin token ${vars.ADMIN_TOKEN}   (in .dev.vars)
  Tokens      npm run token -- <marketing|chat|influencer|scheduler> <subject> [--admin]
  Postgres    ${stack.directUrl}
  Ctrl-C stops everything.
`);
}

function sampleDresses() {
  const designers = ["Vera Wang", "Pronovias", "Jenny Packham", "Monique Lhuillier"];
  const categories = ["ball-gown", "a-line", "mermaid"];
  return Array.from({ length: 12 }, (_, i) => ({
    id: `sample-${i + 1}`,
    name: `Sample gown ${i + 1}`,
    designer: designers[i % designers.length],
    price: `$${(1500 + i * 250).toLocaleString("en-US")}`,
    category: categories[i % categories.length],
    imageUrl: `https://images.example/dresses/sample-${i + 1}.jpg`,
    tags: ["lace", "silk", "tulle"].slice(0, 1 + (i % 3)),
  }));
}

function sampleCreators() {
  return Array.from({ length: 25 }, (_, i) => ({
    creator: {
      name: `Sample creator ${i + 1}`,
      followers: 1000 * (i + 1),
      uniqueId: `@sample${i + 1}`,
      emails: [`sample${i + 1}@example.com`],
      verified: i % 5 === 0,
    },
    video: {
      description: `Sample video ${i + 1}`,
      url: `https://www.tiktok.com/@sample${i + 1}/video/${i + 1}`,
      statistics: { likes: 10 * i, comments: i, shares: i, views: 100 * i },
    },
    hashtags: ["#sample"],
    platform: "TikTok",
  }));
}

function wranglerBin(): string {
  const pkg = createRequire(import.meta.url).resolve("wrangler/package.json");
  return path.join(path.dirname(pkg), "bin", "wrangler.js");
}

main().catch(async (err) => {
  console.error(err instanceof Error ? err.stack : err);
  await stopAll();
  process.exit(1);
});
