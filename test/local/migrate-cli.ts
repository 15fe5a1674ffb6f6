/**
 * `npm run db:migrate`: migrates DATABASE_URL_DIRECT when set, otherwise the local dev Postgres
 * (started here on its persistent data directory .local/pgdata, then stopped again).
 */
import { migrateDatabase, redactUrl } from "./migrate.js";
import { startPostgres } from "./postgres.js";

const server = await startPostgres({ dataDir: ".local/pgdata" });
console.log(
  server.embedded ? `local Postgres on ${redactUrl(server.url)} (data in .local/pgdata)` : `DATABASE_URL_DIRECT: ${redactUrl(server.url)}`,
);
try {
  await migrateDatabase(server.url, (line) => console.log(line));
} catch (err) {
  console.error("migrate failed:", err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await server.stop();
}
