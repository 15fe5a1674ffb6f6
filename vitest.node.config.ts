import { defineConfig } from "vitest/config";

// Tests that run in Node: the local stand-ins against the official clients, and the schema checks.
export default defineConfig({
  test: {
    name: "node",
    include: ["test/node/**/*.test.ts", "test/client/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/node/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
