/**
 * List query parameters shared by every module: `?page=1&pageSize=20&sortBy=…&sortDirection=asc|desc&q=…`
 * answered as `{ items, page, pageSize, hasNext }` (one extra row is fetched to know `hasNext`).
 */
import { type AnyColumn, asc, desc, type SQL } from "drizzle-orm";
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
