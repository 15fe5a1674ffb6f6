/**
 * `npm run db:seed`: seeds DATABASE_URL_DIRECT when set, otherwise the local dev Postgres (.local/pgdata).
 * It does not migrate: run `npm run db:migrate` first.
 */
import { redactUrl } from "../../test/local/migrate.js";
import { startPostgres } from "../../test/local/postgres.js";
import { seedDatabase } from "./run";

const server = await startPostgres({ dataDir: ".local/pgdata" });
console.log(
  server.embedded ? `local Postgres on ${redactUrl(server.url)} (data in .local/pgdata)` : `DATABASE_URL_DIRECT: ${redactUrl(server.url)}`,
);
try {
  await seedDatabase(server.url, (line) => console.log(line));
} catch (err) {
  // drizzle wraps driver errors; the SQLSTATE and the readable message are on the cause.
  const cause = ((err as { cause?: unknown }).cause ?? err) as { code?: string; message?: string };
  const code = cause.code;
  console.error("seed failed:", cause.message ?? String(err));
  if (code === "42P01" || code === "3F000") console.error("the tables are missing: run `npm run db:migrate` first");
  process.exitCode = 1;
} finally {
  await server.stop();
}
