/**
 * List query parameters shared by every module: `?page=1&pageSize=20&sortBy=…&sortDirection=asc|desc&q=…`
 * answered as `{ items, page, pageSize, hasNext }` (one extra row is fetched to know `hasNext`).
 */
import { and, type AnyColumn, asc, desc, eq, gt, lt, or, type SQL, sql } from "drizzle-orm";
import { HttpProblem, problemTypes } from "../core/problem";
import { z } from "zod";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const pageSchema = z.coerce.number().int().min(1).default(1);
export const pageSizeSchema = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
export const sortDirectionSchema = z.enum(["asc", "desc"]).default("desc");
export const searchSchema = z.string().trim().min(1).max(200).optional();

export const paginationSchema = z.object({
  page: pageSchema,
  pageSize: pageSizeSchema,
  sortDirection: sortDirectionSchema,
  q: searchSchema,
});

/**
 * Pagination plus a `sortBy` restricted to the given column keys (default: the first, or `opts.sortBy`).
 * `opts.pageSize` changes the default page size (still capped at MAX_PAGE_SIZE).
 */
export function listQuerySchema<const K extends readonly [string, ...string[]]>(
  sortKeys: K,
  opts: { sortBy?: K[number]; pageSize?: number } = {},
) {
  const sortBy = z.enum(sortKeys as unknown as [K[number], ...K[number][]]);
  return paginationSchema.extend({
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(opts.pageSize ?? DEFAULT_PAGE_SIZE),
    sortBy: sortBy.default(opts.sortBy ?? sortKeys[0]),
  });
}

/** `LIMIT`/`OFFSET` for a page, with the one extra row that tells whether a next page exists. */
export function pageWindow(p: { page: number; pageSize: number }): { limit: number; offset: number } {
  return { limit: p.pageSize + 1, offset: (p.page - 1) * p.pageSize };
}

/** Cuts the extra row off and builds the list envelope. */
export function pageOf<T>(rows: T[], p: { page: number; pageSize: number }) {
  const hasNext = rows.length > p.pageSize;
  return { items: hasNext ? rows.slice(0, p.pageSize) : rows, page: p.page, pageSize: p.pageSize, hasNext };
}

/**
 * ORDER BY the requested sort column (then `tiebreak`, so pages never overlap) in the requested direction,
 * and LIMIT/OFFSET for the page: `.orderBy(...o.orderBy).limit(o.limit).offset(o.offset)` or spread into
 * a relational query.
 */
export function orderAndPage<K extends string>(
  q: { sortBy: K; sortDirection: "asc" | "desc"; page: number; pageSize: number },
  columns: Record<K, AnyColumn>,
  tiebreak: AnyColumn,
): { orderBy: SQL[]; limit: number; offset: number } {
  const dir = q.sortDirection === "asc" ? asc : desc;
  return { orderBy: [dir(columns[q.sortBy]), dir(tiebreak)], ...pageWindow(q) };
}

/**
 * Keyset (cursor) pages over (created_at, id): a cursor is the last row's exact timestamp as Postgres prints it
 * (`col::text`, microseconds kept) and its id, base64url-encoded. Pages neither skip nor repeat rows while new
 * ones arrive, and each page is one index range scan, however deep.
 */
export const cursorQuerySchema = z.object({
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export interface KeysetCursor {
  at: string;
  id: string;
}

const TS_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?$/;

export function encodeCursor(c: KeysetCursor): string {
  return btoa(`${c.at}|${c.id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor's position, or a 400 naming `query.cursor` when this API did not issue it (ids: `idPattern`). */
export function decodeCursor(cursor: string, idPattern: RegExp): KeysetCursor {
  let text = "";
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    /* falls through to the 400 */
  }
  const bar = text.indexOf("|");
  const at = text.slice(0, bar);
  const id = text.slice(bar + 1);
  if (bar < 0 || !TS_TEXT.test(at) || !idPattern.test(id))
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "The cursor is not valid.",
      errors: [{ path: "query.cursor", message: "not a cursor of this API" }],
    });
  return { at, id };
}

/** Rows after `cursor` in (createdAt, id) order (`desc`: newest first), for a WHERE. */
export function afterCursor(cursor: KeysetCursor | undefined, createdAt: AnyColumn, id: AnyColumn, dir: "asc" | "desc"): SQL | undefined {
  if (!cursor) return undefined;
  const at = sql`${cursor.at}::timestamp`;
  return dir === "desc"
    ? or(lt(createdAt, at), and(eq(createdAt, at), lt(id, cursor.id)))
    : or(gt(createdAt, at), and(eq(createdAt, at), gt(id, cursor.id)));
}

/** `{ items, nextCursor }` from `limit + 1` rows carrying their timestamp as text (`at`). */
export function cursorPageOf<R extends { at: string }, T>(rows: R[], limit: number, id: (r: R) => string, item: (r: R) => T) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(item), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: id(last) }) : null };
}
