/**
 * The dress reads, wired through the generic read-through cache:
 * Redis (5 min) → Postgres `cached_dresses` (24 h) → the dress API, which is then stored in Postgres and Redis.
 */
import { readThrough, type ReadResult, type ReadThroughDeps } from "../../src/cache/read-through";
import { singleFlight } from "../../src/cache/single-flight";
import { errorFields } from "../../src/core/logger";
import { HttpProblem, notFound } from "../../src/core/problem";
import { UpstreamError, upstreamOutageSeconds, upstreamProblem } from "../../src/core/upstream";
import { HOT_TTL_SECONDS, MIRROR_PAGE_SIZE, type blogConfig } from "./config";
import type { BlogDb } from "./db";
import { dressApi, toRow, type UpstreamDress } from "./dress-api";
import { readDress, readListing, storeDress, storeListing } from "./dresses.store";
import { type DressOut, type DressPage, dressJson } from "./responses";
import type { CachedDress } from "./schema";

/** What is served when the dress API answered but Postgres could not store it. */
function unstoredRow(d: UpstreamDress): CachedDress {
  const now = new Date();
  return { id: 0, ...toRow(d), cachedAt: now, expiresAt: new Date(now.getTime() + HOT_TTL_SECONDS * 1000) } as CachedDress;
}

const byteOrder = (a: { externalId: string }, b: { externalId: string }) =>
  a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;

type Config = ReturnType<typeof blogConfig>;

const common = {
  hotTtlSeconds: HOT_TTL_SECONDS,
  // A 404 is an answer, not an outage: never hide it behind stale data.
  serveStaleOn: (err: unknown) => !(err instanceof HttpProblem && err.status < 500),
  // Remembered briefly, so followers and the next callers get the answer without asking the API again.
  failureTtlSeconds: (p: HttpProblem) => (p.status === 404 ? 30 : upstreamOutageSeconds(p)),
};

function asProblem(err: unknown): unknown {
  return err instanceof UpstreamError ? upstreamProblem(err) : err;
}

/**
 * Which listing a key is about: `all`, or `category=<encoded value>`. The two forms can never be equal (a value
 * is always prefixed), so no category — `*` or `all` included — shares a Redis key or a single flight with the
 * unfiltered listing (a shared flight once let `?category=*` cache an empty "all" listing for 5 minutes).
 */
export const listingScope = (category: string | null) => (category === null ? "all" : `category=${encodeURIComponent(category)}`);
export const listKey = (category: string | null, page: number, pageSize: number) =>
  `blog:dresses:v2:${listingScope(category)}:${page}:${pageSize}`;
export const dressKey = (externalId: string) => `blog:dress:v1:${encodeURIComponent(externalId)}`;

export function listDresses(
  deps: ReadThroughDeps,
  db: BlogDb,
  cfg: Config,
  q: { category: string | null; page: number; pageSize: number },
): Promise<ReadResult<DressPage>> {
  const { category, page, pageSize } = q;
  const pageOf = (rows: CachedDress[], total: number): DressPage => ({
    items: rows.map(dressJson),
    page,
    pageSize,
    hasNext: page * pageSize < total,
  });
  const api = dressApi({
    baseUrl: cfg.dressApiUrl,
    timeoutMs: cfg.dressTimeoutMs,
    pageSize: MIRROR_PAGE_SIZE,
    maxPages: cfg.mirrorMaxPages,
  });
  // Reads the whole listing from the API and stores it; pages of one listing missing at once in this isolate share one mirror.
  const mirror = () =>
    (deps.flights ?? singleFlight).share(`blog:dresses:mirror:${listingScope(category)}`, async () => {
      const listing = await api.listAll(category).catch((e) => {
        throw asProblem(e);
      });
      if (listing.truncated)
        deps.logger.warn("dress listing longer than the mirror reads; the rest is not served", { category, pages: cfg.mirrorMaxPages });
      let rows: CachedDress[];
      try {
        rows = await storeListing(db, category, listing.items, { prune: !listing.truncated });
      } catch (err) {
        deps.logger.error("storing the dress listing failed; serving it uncached", { category, ...errorFields(err) });
        rows = listing.items.map(unstoredRow);
      }
      return rows.sort(byteOrder);
    });
  return readThrough(deps, {
    key: listKey(category, page, pageSize),
    ...common,
    // A leader may read every page of the listing.
    lockTtlMs: cfg.dressTimeoutMs * cfg.mirrorMaxPages + 2000,
    durable: {
      async read() {
        const stored = await readListing(db, category, page, pageSize);
        if (!stored.total) return null;
        // An incomplete listing is only good enough as stale data, when the API is down.
        const fresh = stored.complete && stored.expiresAt ? stored.expiresAt.getTime() : 0;
        return { value: pageOf(stored.rows, stored.total), expiresAt: fresh };
      },
    },
    async origin() {
      const rows = await mirror();
      const start = (page - 1) * pageSize;
      const expiresAt = rows.length ? Math.min(...rows.map((r) => r.expiresAt.getTime())) : Date.now() + HOT_TTL_SECONDS * 1000;
      return { value: pageOf(rows.slice(start, start + pageSize), rows.length), expiresAt };
    },
  });
}

export function getDress(deps: ReadThroughDeps, db: BlogDb, cfg: Config, externalId: string): Promise<ReadResult<DressOut>> {
  const api = dressApi({ baseUrl: cfg.dressApiUrl, timeoutMs: cfg.dressTimeoutMs, pageSize: MIRROR_PAGE_SIZE, maxPages: 1 });
  return readThrough(deps, {
    key: dressKey(externalId),
    ...common,
    lockTtlMs: cfg.lockTtlMs,
    durable: {
      async read() {
        const row = await readDress(db, externalId);
        return row && { value: dressJson(row), expiresAt: row.expiresAt.getTime() };
      },
    },
    async origin() {
      const found = await api.get(externalId).catch((e) => {
        throw asProblem(e);
      });
      if (!found) throw notFound(`No dress has the external id ${JSON.stringify(externalId)}.`);
      let row: CachedDress;
      try {
        row = await storeDress(db, found);
      } catch (err) {
        deps.logger.error("storing the dress failed; serving it uncached", { externalId, ...errorFields(err) });
        row = unstoredRow(found);
      }
      return { value: dressJson(row), expiresAt: row.expiresAt.getTime() };
    },
  });
}
