import { defineConfig } from "drizzle-kit";

// One Postgres schema per module, plus "platform" (src/db/platform-schema.ts); `generate` reads only the schema files, so a dummy URL lets it run offline.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./functions/*/schema.ts", "./src/db/platform-schema.ts"],
  out: "./drizzle",
  schemaFilter: ["marketing", "blog", "chat", "scheduler", "influencer", "platform"],
  dbCredentials: {
    url: process.env.DATABASE_URL_DIRECT ?? "postgres://postgres:postgres@127.0.0.1:5432/main",
  },
  strict: true,
  verbose: true,
});
