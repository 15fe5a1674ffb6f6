/**
 * One drizzle client per request over Neon's HTTP driver: no pool, no TCP, one HTTP
 * round trip per query or per db.batch(). db.transaction() does not exist on this driver.
 *
 * Deadline (DB_TIMEOUT_MS from the client's creation): the HTTP call is aborted when it passes, and the
 * caller gets 503 + Retry-After. Aborting the fetch does not stop a statement the database already
 * queued, so every statement that may write runs in one transaction behind a guard that fails once the
 * deadline has passed: a write that reaches a stalled database late rolls back instead of committing after
 * the caller gave up (and retried). The guard compares the database's clock with the Worker's.
 */
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { AppEnv } from "../core/env";
import { unavailable } from "../core/problem";
import { deadlines } from "../core/config";
import { DeadlineExceeded, isAbort } from "../core/deadline";

export type Db<TSchema extends Record<string, unknown> = Record<string, never>> = NeonHttpDatabase<TSchema>;
/** Any module's database, whatever its schema (for platform code that only builds statements on given tables). */
// biome-ignore lint/suspicious/noExplicitAny: any drizzle neon-http database, whatever its schema
export type AnyDb = Db<any>;

const driverDefaultEndpoint = neonConfig.fetchEndpoint;
let endpointFor: string | undefined;

function pointDriverAt(endpoint: string | undefined): void {
  // fetchEndpoint is global in the driver; the value only differs between local and deployed configs.
  if (endpoint === endpointFor) return;
  endpointFor = endpoint;
  neonConfig.fetchEndpoint = endpoint ? () => endpoint : driverDefaultEndpoint;
}

/** Fails (division by zero) when the database's clock is past the deadline; volatile, so never folded at plan time. */
const GUARD = "SELECT 1 / (CASE WHEN clock_timestamp() <= $1::timestamptz THEN 1 ELSE 0 END) AS before_deadline";
const READ_ONLY = /^\s*select\b/i;

type NeonSql = ReturnType<typeof neon>;
type QueryOpts = Parameters<NeonSql["query"]>[2];

interface PendingQuery extends PromiseLike<unknown> {
  readonly text: string;
  readonly params: unknown[] | undefined;
  readonly opts: QueryOpts;
}

export function createSql(env: AppEnv, opts: { timeoutMs?: number } = {}) {
  if (!env.DATABASE_URL) throw unavailable("The database is not configured (DATABASE_URL).", 30);
  pointDriverAt(env.NEON_SQL_ENDPOINT);
  const ms = opts.timeoutMs ?? deadlines(env).dbMs;
  const deadline = new Date(Date.now() + ms);
  // Loosely typed: results pass through to drizzle untouched.
  const base = neon(env.DATABASE_URL, { fetchOptions: { signal: AbortSignal.timeout(ms) } }) as unknown as {
    query(text: string, params?: unknown[], opts?: QueryOpts): Promise<unknown>;
    transaction(items: Promise<unknown>[], opts?: Parameters<NeonSql["transaction"]>[1]): Promise<unknown[]>;
  };
  const guard = () => base.query(GUARD, [deadline.toISOString()]);
  const settle = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((err) => {
      if (isAbort(err) || Date.now() >= deadline.getTime()) throw new DeadlineExceeded("database", ms);
      throw err;
    });

  // drizzle calls `client.query(text, params, opts)` for a statement and passes those results to
  // `client.transaction([...])` for a batch; a PendingQuery serves both.
  const query = (text: string, params?: unknown[], qopts?: QueryOpts): PendingQuery => ({
    text,
    params,
    opts: qopts,
    // biome-ignore lint/suspicious/noThenProperty: drizzle awaits what client.query returns, as neon's own NeonQueryPromise is a thenable
    then(onOk, onErr) {
      const run = READ_ONLY.test(text)
        ? () => base.query(text, params, qopts)
        : async () => (await base.transaction([guard(), base.query(text, params, qopts)]))[1];
      return settle(run).then(onOk, onErr);
    },
  });
  const transaction = async (items: PendingQuery[], topts?: Parameters<NeonSql["transaction"]>[1]) => {
    const rest = items.map((q) => base.query(q.text, q.params, q.opts));
    return settle(async () => (await base.transaction([guard(), ...rest], topts)).slice(1));
  };
  return Object.assign(query, { query, transaction }) as unknown as NeonSql;
}

export function createDb<TSchema extends Record<string, unknown>>(
  env: AppEnv,
  schema: TSchema,
  opts: { timeoutMs?: number } = {},
): Db<TSchema> {
  return drizzle({ client: createSql(env, opts), schema });
}
