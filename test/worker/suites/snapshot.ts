/** The state of a module's tables, to show that a rejected or failed write changed nothing (fuzz and fault suites). */
import { sql } from "../helpers";

const tableLists = new Map<string, Promise<string[]>>();
/** Row count and content hash of every table of the schema, one string per table. */
export async function snapshot(schema: string): Promise<Record<string, string>> {
  if (!tableLists.has(schema)) {
    tableLists.set(
      schema,
      sql<{ t: string }>(
        "SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
        [schema],
      ).then((rows) => rows.map((r) => r.t)),
    );
  }
  const tables = await tableLists.get(schema)!;
  if (tables.length === 0) return {};
  const cols = tables.map(
    (t, i) =>
      `(SELECT count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '') FROM ${t} x) AS c${i}`,
  );
  const [row] = await sql<Record<string, string>>(`SELECT ${cols.join(", ")}`);
  return Object.fromEntries(tables.map((t, i) => [t, row![`c${i}`]!]));
}
