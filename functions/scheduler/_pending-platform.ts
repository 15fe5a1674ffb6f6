/**
 * TEMPORARY stand-ins for platform pieces that other branches are building (see PLATFORM_API.md):
 * sessionAuth and firstOf (issue10a), claimWithLease / releaseLease and assertPublicUrl (issue10b).
 * Same names and signatures; deleted at merge in favour of src/…, which is where the imports then point.
 */
import type { Context, MiddlewareHandler } from "hono";
import { and, eq, getTableColumns, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import ipaddr from "ipaddr.js";
import { createCache } from "../../src/cache/client";
import type { Db } from "../../src/db/client";
import type { AppEnv, AppVariables } from "../../src/env";
import { bearerToken } from "../../src/http/auth";
import { createLogger } from "../../src/http/logger";
import { digest } from "../../src/http/secrets";
import { HttpProblem, problemTypes, unauthorized } from "../../src/http/problem";

export interface Principal { kind: "apiKey" | "jwt" | "session" | "admin"; subject: string; claims: Record<string, unknown> }
export type PrincipalContext = { Bindings: AppEnv; Variables: AppVariables & { principal: Principal } };

export const badRequest = (detail: string, errors?: { path: string; message: string }[]) =>
  new HttpProblem({ status: 400, type: problemTypes.validation, detail, errors });

// ---- issue10a: Auth.js database sessions -------------------------------------------------------------

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

function sessionToken(c: Context): string | null {
  const bearer = bearerToken(c.req.header("Authorization"));
  if (bearer) return bearer;
  const cookie = c.req.header("Cookie") ?? "";
  for (const name of SESSION_COOKIES) {
    const m = cookie.match(new RegExp(`(?:^|;\\s*)${name.replace(/[.]/g, "\\.")}=([^;]+)`));
    if (m?.[1]) return decodeURIComponent(m[1]);
  }
  return null;
}

const sessionCacheKey = async (namespace: string, token: string) => `${namespace}:session:${await digest(token)}`;

/** Drops a cached session lookup (sign-out, user deleted). */
export async function forgetSession(env: AppEnv, namespace: string, token: string): Promise<void> {
  await createCache(env, createLogger(env.LOG_LEVEL)).del(await sessionCacheKey(namespace, token));
}

export function sessionAuth(opts: {
  namespace: string;
  lookup: (env: AppEnv, token: string) => Promise<{ subject: string; expires: Date } | null>;
}): MiddlewareHandler<PrincipalContext> {
  return async (c, next) => {
    const token = sessionToken(c);
    if (!token) throw unauthorized("This route needs a session token (bearer or Auth.js cookie).");
    const cache = createCache(c.env, c.get("logger"));
    const key = await sessionCacheKey(opts.namespace, token);
    const cached = await cache.get<{ subject: string; expires: string }>(key);
    let found = cached ? { subject: cached.subject, expires: new Date(cached.expires) } : await opts.lookup(c.env, token);
    if (found && found.expires.getTime() <= Date.now()) found = null;
    if (!found) throw unauthorized("The session is not valid or has expired.");
    if (!cached) {
      const ttlMs = Math.min(found.expires.getTime() - Date.now(), 3600_000);
      await cache.setIfAbsent(key, { subject: found.subject, expires: found.expires.toISOString() }, { ttlMs });
    }
    c.set("principal", { kind: "session", subject: found.subject, claims: {} });
    await next();
  };
}

/** Tries each authenticator in turn; the first that does not answer 401 decides. */
export function firstOf(...auths: MiddlewareHandler<PrincipalContext>[]): MiddlewareHandler<PrincipalContext> {
  return async (c, next) => {
    let last: unknown;
    for (const auth of auths) {
      let passed = false;
      try {
        await auth(c, async () => { passed = true; });
      } catch (err) {
        if (err instanceof HttpProblem && err.status === 401) { last = err; continue; }
        throw err;
      }
      if (passed) return next();
    }
    throw last ?? unauthorized();
  };
}

// ---- issue10b: leases (same contract as src/db/leases.ts: columns found by their SQL names) ------------

function leaseColumns(table: PgTable) {
  const cols = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const byName = (n: string) => cols.find(([, c]) => c.name === n);
  const id = byName("id");
  const owner = byName("lease_owner");
  const expires = byName("lease_expires_at");
  if (!id || !owner || !expires) throw new Error("a leased table needs the columns id, lease_owner and lease_expires_at");
  return { id: id[1], owner: owner[1], expiresAt: expires[1], ownerKey: owner[0], expiresKey: expires[0] };
}

const inMs = (ms: number) => sql`now() + ${ms}::double precision * interval '1 millisecond'`;

/** Claims up to `limit` rows matching `where` whose lease is free or expired, in one statement. */
export async function claimWithLease<T extends PgTable>(
  db: Db<any>,
  opts: { table: T; where: SQL | undefined; orderBy?: SQL | PgColumn; limit: number; ttlMs: number; owner?: string },
): Promise<{ token: string; rows: T["$inferSelect"][] }> {
  const c = leaseColumns(opts.table);
  const token = `${opts.owner ?? "lease"}:${crypto.randomUUID()}`;
  const free = or(isNull(c.expiresAt), lt(c.expiresAt, sql`now()`));
  const due = db.select({ id: c.id }).from(opts.table as PgTable).where(and(opts.where, free))
    .orderBy(opts.orderBy ?? c.id).limit(opts.limit).for("update", { skipLocked: true });
  const rows = await db.update(opts.table as PgTable)
    .set({ [c.ownerKey]: token, [c.expiresKey]: inMs(opts.ttlMs) })
    .where(inArray(c.id, due))
    .returning();
  return { token, rows: rows as T["$inferSelect"][] };
}

/** Frees the rows matching `where` that `token` still holds; a statement for a db.batch. */
export function releaseLease(db: Db<any>, table: PgTable, where: SQL | undefined, token: string): BatchItem<"pg"> {
  const c = leaseColumns(table);
  return db.update(table).set({ [c.ownerKey]: null, [c.expiresKey]: null }).where(and(where, eq(c.owner, token)));
}

// ---- issue10b: outbound URL guard --------------------------------------------------------------------

export function outboundAllowList(env: AppEnv): string[] {
  const raw = (env as AppEnv & { OUTBOUND_ALLOW_HOSTS?: string }).OUTBOUND_ALLOW_HOSTS ?? "";
  return raw.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
}

const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

/** An http(s) URL whose host is a public name or a public unicast IP (or explicitly allowed); else 400. */
export function assertPublicUrl(raw: string, opts: { allowHosts?: string[] } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("The URL is not valid.", [{ path: "url", message: "not a URL" }]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest("Only http and https URLs are allowed.", [{ path: "url", message: "scheme not allowed" }]);
  if (url.username || url.password) throw badRequest("URLs may not carry credentials.", [{ path: "url", message: "credentials in URL" }]);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (opts.allowHosts?.includes(host)) return url;
  const refuse = () => badRequest(`The host ${host} is not a public address.`, [{ path: "url", message: "private, loopback or link-local address" }]);
  if (ipaddr.isValid(host)) {
    let addr = ipaddr.parse(host);
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    if (addr.range() !== "unicast") throw refuse();
    return url;
  }
  if (host === "localhost" || !host.includes(".") || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) throw refuse();
  return url;
}

// ---- issue9a: the batched sweep loop (moves from functions/blog/sweeps.ts to src/cron/) -------------------

/** Repeats `batch` until it returns fewer than `size` rows or the cron run's deadline passes. */
export async function inBatches(deadline: number, size: number, batch: () => Promise<number>) {
  let rows = 0;
  let batches = 0;
  for (;;) {
    const n = await batch();
    rows += n;
    batches++;
    if (n < size || Date.now() >= deadline) return { rows, details: { batches, batchSize: size } };
  }
}
