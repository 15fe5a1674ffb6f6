import { defineConfig } from "drizzle-kit";
import { modules } from "./src/modules";

// One Postgres schema per module, named after it (src/modules.ts is the list); `generate` reads only the
// schema files, so a dummy URL lets it run offline.
const names = modules.map((m) => m.name);

export default defineConfig({
  dialect: "postgresql",
  schema: [...names.map((name) => `./functions/${name}/schema.ts`), "./src/db/platform-schema.ts"],
  out: "./drizzle",
  schemaFilter: [...names, "platform"],
  dbCredentials: {
    url: process.env.DATABASE_URL_DIRECT ?? "postgres://postgres:postgres@127.0.0.1:5432/main",
  },
  strict: true,
  verbose: true,
});
