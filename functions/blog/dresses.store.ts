/**
 * Postgres side of the dress cache (`cached_dresses`).
 *
 * A listing (one category, or all dresses) is stored as a *snapshot*: the whole upstream listing written
 * by one statement, so every row of it shares one `cached_at` and one `expires_at`. A page can then be
 * answered from Postgres only when the listing is complete — all rows of the filter share one `cached_at` —
 * which a page-by-page cache cannot know (pages 1 and 3 cached, page 2 asked: OFFSET would answer page 3).
 * A dress written alone (detail route) or left over from an older listing breaks the snapshot, and the
 * next miss re-mirrors it from the API.
 */
import { and, asc, eq, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import { DRESS_TTL } from "./config";
import type { BlogDb } from "./db";
import { toRow, type UpstreamDress } from "./dress-api";
import { blogSessions, cachedDresses, type CachedDress } from "./schema";

/** A dress still selected by a session that may yet use it (draft or generating) must not be deleted. */
export const dressIsReferenced = sql`EXISTS (SELECT 1 FROM ${blogSessions} s
  WHERE s.status IN ('draft', 'generating') AND s.selected_dress_ids::jsonb @> jsonb_build_array(${cachedDresses.externalId}))`;

const byCategory = (category: string | null): SQL | undefined => (category === null ? undefined : eq(cachedDresses.category, category));

// Byte order, so Postgres pages and pages cut in JS from the API's listing agree whatever the collation.
const listingOrder = sql`${cachedDresses.externalId} COLLATE "C"`;

export interface StoredListing {
  /** rows of the filter */
  total: number;
  /** false when the rows are not one snapshot (mixed cached_at): usable only as stale data */
  complete: boolean;
  /** earliest expiry among the rows; null when there are none */
  expiresAt: Date | null;
  rows: CachedDress[];
}

/** One round trip (a batch): the page's rows and, even past the last page, whether the listing is one fresh snapshot. */
export async function readListing(db: BlogDb, category: string | null, page: number, pageSize: number): Promise<StoredListing> {
  const filter = byCategory(category);
  const [[stats], rows] = await db.batch([
    db
      .select({
        total: sql<number>`count(*)::int`,
        snapshots: sql<number>`count(DISTINCT ${cachedDresses.cachedAt})::int`,
        minExpiresAt: sql<Date | null>`min(${cachedDresses.expiresAt})`.mapWith(cachedDresses.expiresAt),
      })
      .from(cachedDresses)
      .where(filter),
    db
      .select()
      .from(cachedDresses)
      .where(filter)
      .orderBy(listingOrder)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
  ]);
  return {
    total: stats?.total ?? 0,
    complete: stats?.snapshots === 1,
    expiresAt: stats?.minExpiresAt ?? null,
    rows,
  };
}

export async function readDress(db: BlogDb, externalId: string): Promise<CachedDress | null> {
  const [row] = await db.select().from(cachedDresses).where(eq(cachedDresses.externalId, externalId)).limit(1);
  return row ?? null;
}

const upsertSet = {
  name: sql`excluded.name`,
  designer: sql`excluded.designer`,
  description: sql`excluded.description`,
  price: sql`excluded.price`,
  imageUrl: sql`excluded.image_url`,
  category: sql`excluded.category`,
  tags: sql`excluded.tags`,
  rawData: sql`excluded.raw_data`,
  cachedAt: sql`excluded.cached_at`,
  expiresAt: sql`excluded.expires_at`,
};

function upsert(db: BlogDb, items: UpstreamDress[]) {
  const expiresAt = sql`now() + ${DRESS_TTL}::interval`;
  return db
    .insert(cachedDresses)
    .values(items.map((d) => ({ ...toRow(d), cachedAt: sql`now()`, expiresAt })))
    .onConflictDoUpdate({ target: cachedDresses.externalId, set: upsertSet })
    .returning();
}

/**
 * Stores a whole listing as one snapshot, in one round trip (a batch runs as one transaction): upserts
 * every dress and, when the listing is complete (`prune`), deletes rows of the filter the API no longer
 * lists, unless a session still uses them.
 */
export async function storeListing(
  db: BlogDb,
  category: string | null,
  items: UpstreamDress[],
  opts: { prune: boolean },
): Promise<CachedDress[]> {
  const unique = [...new Map(items.map((d) => [d.id, d])).values()];
  const gone = db.delete(cachedDresses).where(
    and(
      byCategory(category),
      unique.length
        ? notInArray(
            cachedDresses.externalId,
            unique.map((d) => d.id),
          )
        : undefined,
      sql`NOT ${dressIsReferenced}`,
    ),
  );
  if (!unique.length) {
    if (opts.prune) await gone;
    return [];
  }
  if (!opts.prune) return upsert(db, unique);
  const [rows] = await db.batch([upsert(db, unique), gone]);
  return rows;
}

export async function storeDress(db: BlogDb, item: UpstreamDress): Promise<CachedDress> {
  const [row] = await upsert(db, [item]);
  return row!;
}

export async function dressesByIds(db: BlogDb, ids: string[]): Promise<CachedDress[]> {
  if (!ids.length) return [];
  return db.select().from(cachedDresses).where(inArray(cachedDresses.externalId, ids)).orderBy(asc(cachedDresses.externalId));
}
