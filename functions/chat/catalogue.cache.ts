/**
 * The public agent catalogue in Redis. Pages are keyed by a generation number that every definition write
 * bumps (INCR), so a change makes all cached pages unreachable at once; they expire on their own.
 * The generation is also kept in the isolate for GENERATION_MEMORY_MS (a hot page is then one Redis read),
 * and the pages in the colo's Cache API (EDGE_NAME, purged by the same bump): after a write, the writing
 * isolate and colo answer fresh at once, other isolates within 5 s, other colos within the edge TTL (30 s).
 */
import type { Cache } from "../../src/cache/client";
import { purgeEdge } from "../../src/cache/edge-cache";
import { IsolateMemory } from "../../src/cache/memory";

const GEN_KEY = "chat:catalogue:gen";

export const cataloguePageKey = (gen: number, page: number, pageSize: number, q: string | undefined) =>
  `chat:catalogue:v1:g${gen}:p${page}:s${pageSize}:${q === undefined ? "all" : `q=${encodeURIComponent(q)}`}`;

export const EDGE_NAME = "chat:catalogue";
export const EDGE_TTL_SECONDS = 30;
const GENERATION_MEMORY_MS = 5000;
const generation = new IsolateMemory<number>(GENERATION_MEMORY_MS, 1);

export async function catalogueGeneration(cache: Cache): Promise<number> {
  const known = generation.get(GEN_KEY);
  if (known !== undefined) return known;
  const gen = Number(await cache.get<number>(GEN_KEY)) || 0;
  generation.set(GEN_KEY, gen);
  return gen;
}

export async function bumpCatalogue(cache: Cache): Promise<void> {
  generation.clear();
  await purgeEdge(EDGE_NAME);
  try {
    await cache.redis?.incr(GEN_KEY);
  } catch {
    // Redis down: the pages expire within CHAT_CACHE_TTL_SECONDS anyway.
  }
}
