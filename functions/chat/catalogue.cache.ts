/**
 * The public agent catalogue in Redis. Pages are keyed by a generation number that every definition write
 * bumps (INCR), so a change makes all cached pages unreachable at once; they expire on their own.
 */
import type { Cache } from "../../src/cache/client";

const GEN_KEY = "chat:catalogue:gen";

export const cataloguePageKey = (gen: number, page: number, pageSize: number, q: string | undefined) =>
  `chat:catalogue:v1:g${gen}:p${page}:s${pageSize}:${q === undefined ? "all" : `q=${encodeURIComponent(q)}`}`;

export async function catalogueGeneration(cache: Cache): Promise<number> {
  return Number(await cache.get<number>(GEN_KEY)) || 0;
}

export async function bumpCatalogue(cache: Cache): Promise<void> {
  try {
    await cache.redis?.incr(GEN_KEY);
  } catch {
    // Redis down: the pages expire within CHAT_CACHE_TTL_SECONDS anyway.
  }
}
