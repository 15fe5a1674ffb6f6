import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests that run inside workerd: the Worker is called through SELF.fetch / its scheduled()
// handler, and reaches Postgres and Redis over HTTP through the local stand-ins.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: inject("workerBindings") },
    })),
  ],
  test: {
    name: "worker",
    include: ["test/worker/**/*.test.ts"],
    globalSetup: ["test/worker/global-setup.ts"],
    // Round-trip counters at the stand-ins are shared: one file at a time keeps them exact.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
