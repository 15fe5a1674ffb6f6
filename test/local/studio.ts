/**
 * `npm run db:studio`: Drizzle Studio on the local dev Postgres (.local/pgdata, migrated first), or on
 * DATABASE_URL_DIRECT when set (left as it is). Ctrl-C stops Studio and the local server.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { migrateDatabase, redactUrl } from "./migrate.js";
import { startPostgres } from "./postgres.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const server = await startPostgres({ dataDir: ".local/pgdata" });
console.log(
  server.embedded ? `local Postgres on ${redactUrl(server.url)} (data in .local/pgdata)` : `DATABASE_URL_DIRECT: ${redactUrl(server.url)}`,
);
if (server.embedded) await migrateDatabase(server.url, (line) => console.log(line));

const studio = spawn("npx", ["drizzle-kit", "studio", ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL_DIRECT: server.url },
});
studio.on("exit", (code) => {
  void server.stop().finally(() => process.exit(code ?? 0));
});
