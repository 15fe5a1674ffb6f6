/**
 * Client for the external dress API (`DRESS_API_URL`); the contract it expects is documented in dresses.routes.ts.
 * Every field the API sends is kept in `cached_dresses.raw_data`.
 */
import { z } from "zod";
import { fetchJson, UpstreamError } from "../../src/core/upstream";
import type { NewCachedDress } from "./schema";

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

export const upstreamDressSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string().min(1),
  designer: text,
  description: text,
  price: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v == null ? null : String(v))),
  imageUrl: text,
  category: text,
  tags: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type UpstreamDress = z.infer<typeof upstreamDressSchema>;

const listSchema = z.object({ items: z.array(upstreamDressSchema), hasNext: z.boolean() });

export const DRESS_API = "dress API";

export interface DressApi {
  /** the whole listing (of a category, or all), read page by page; `truncated` when maxPages was not enough */
  listAll(category: string | null): Promise<{ items: UpstreamDress[]; truncated: boolean }>;
  /** one dress; null when the API answers 404 */
  get(externalId: string): Promise<UpstreamDress | null>;
}

export function dressApi(opts: { baseUrl: string; timeoutMs: number; pageSize: number; maxPages: number }): DressApi {
  const call = <S extends z.ZodType>(path: string, schema: S) => {
    if (!opts.baseUrl) throw new UpstreamError(DRESS_API, { kind: "network", message: "DRESS_API_URL is not set" });
    return fetchJson(`${opts.baseUrl}${path}`, { upstream: DRESS_API, schema, timeoutMs: opts.timeoutMs });
  };
  return {
    async listAll(category) {
      const items: UpstreamDress[] = [];
      for (let page = 1; page <= opts.maxPages; page++) {
        const q = new URLSearchParams({ page: String(page), pageSize: String(opts.pageSize) });
        if (category !== null) q.set("category", category);
        const res = await call(`/dresses?${q}`, listSchema);
        items.push(...res.items);
        if (!res.hasNext) return { items, truncated: false };
      }
      return { items, truncated: true };
    },
    async get(externalId) {
      try {
        return await call(`/dresses/${encodeURIComponent(externalId)}`, upstreamDressSchema);
      } catch (err) {
        if (err instanceof UpstreamError && err.status === 404) return null;
        throw err;
      }
    },
  };
}

/** The row to store for an upstream dress (timestamps are set by the database). */
export function toRow(d: UpstreamDress): Omit<NewCachedDress, "expiresAt"> {
  return {
    externalId: d.id,
    name: d.name,
    designer: d.designer,
    description: d.description,
    price: d.price,
    imageUrl: d.imageUrl,
    category: d.category,
    tags: JSON.stringify(d.tags),
    rawData: JSON.stringify(d),
  };
}
