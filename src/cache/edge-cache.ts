/**
 * Public GETs served from the colo's Cache API (`caches.default`): a hit costs no network round trip — no
 * Redis, no Postgres. Only for answers identical for every caller (no principal, no cookie): the dress
 * catalogue, the public agent catalogue.
 *
 * - Entries live `ttlSeconds` in the colo (`s-maxage`); clients get `max-age=0` and an `ETag`, so they
 *   revalidate every time and a matching `If-None-Match` is answered 304 from the colo.
 * - Keys are versioned per cache name: `purgeEdge(name)` writes a new version (a tiny entry in the same
 *   colo cache), which makes every page of that name unreachable at once in the writing colo. Other colos
 *   keep serving their copy until it expires: the staleness bound is the TTL.
 * - `Cache-Control: no-cache` on a request without `If-None-Match` skips the lookup (the answer is still stored).
 * - Edge hits are not rate-limited (the limit runs after this middleware): they cost the origin nothing.
 * - `EDGE_CACHE_SECONDS` overrides every TTL; "0" turns the layer off.
 */
import type { MiddlewareHandler } from "hono";
import { intVar } from "../core/config";
import type { AppEnv } from "../core/env";

/** The OpenAPI response of a route behind edgeCached(). */
export const notModifiedResponse = {
  description: "Not modified: `If-None-Match` names the current `ETag` (answered from the colo's cache when it holds the page)",
};

const INTERNAL = "https://edge-cache.internal";
/** Per-caller or per-request headers never stored with a shared answer. */
const PRIVATE_HEADERS = ["Set-Cookie", "X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

export interface EdgeCacheOptions {
  /** names the cache for purgeEdge(), e.g. "blog:dresses" */
  name: string;
  ttlSeconds: number;
}

const edge = (): Cache | null => (typeof caches === "undefined" ? null : (caches as unknown as { default: Cache }).default);
const versionUrl = (name: string) => `${INTERNAL}/${encodeURIComponent(name)}/version`;

async function versionOf(cache: Cache, name: string): Promise<string> {
  const marker = await cache.match(versionUrl(name));
  return marker ? await marker.text() : "0";
}

/** Makes every entry of `name` unreachable in this colo (other colos: within their TTL). */
export async function purgeEdge(name: string): Promise<void> {
  const cache = edge();
  if (!cache) return;
  try {
    await cache.put(
      versionUrl(name),
      new Response(crypto.randomUUID(), { headers: { "Cache-Control": "public, s-maxage=86400, max-age=86400" } }),
    );
  } catch {
    // the entries expire by themselves
  }
}

async function etagOf(body: ArrayBuffer): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return `"${[...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** True when an If-None-Match header names `etag` (or `*`); weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}

const notModified = (stored: Headers) => {
  const headers = new Headers();
  for (const h of ["ETag", "Cache-Control", "Vary", "X-Edge-Cache"]) {
    const v = stored.get(h);
    if (v) headers.set(h, v);
  }
  return headers;
};

export function edgeCached(opts: EdgeCacheOptions): MiddlewareHandler<{ Bindings: AppEnv; Variables: { requestId?: string } }> {
  return async (c, next) => {
    const ttl = c.env?.EDGE_CACHE_SECONDS !== undefined ? intVar(c.env.EDGE_CACHE_SECONDS, 0) : opts.ttlSeconds;
    const cache = edge();
    if (c.req.method !== "GET" || ttl <= 0 || !cache) return next();
    const url = new URL(c.req.url);
    url.searchParams.sort();
    let key: string;
    try {
      key = `${INTERNAL}/${encodeURIComponent(opts.name)}/v${await versionOf(cache, opts.name)}${url.pathname}${url.search}`;
    } catch {
      return next();
    }
    const requestId = c.get("requestId");
    const ifNoneMatch = c.req.header("If-None-Match");
    // A conditional request is always looked up: fetch() itself adds `Cache-Control: no-cache` to requests that
    // carry If-None-Match, and a 304 from the colo is what such a caller wants.
    if (ifNoneMatch || !/no-cache|no-store/.test(c.req.header("Cache-Control") ?? "")) {
      const hit = await cache.match(key).catch(() => undefined);
      if (hit) {
        const etag = hit.headers.get("ETag") ?? "";
        const headers = matches(ifNoneMatch, etag) ? notModified(hit.headers) : new Headers(hit.headers);
        headers.set("X-Edge-Cache", "hit");
        if (requestId) headers.set("X-Request-Id", requestId);
        return matches(ifNoneMatch, etag)
          ? new Response(null, { status: 304, headers })
          : new Response(hit.body, { status: hit.status, headers });
      }
    }
    await next();
    if (c.res.status !== 200 || c.res.headers.has("Set-Cookie")) return;
    const body = await c.res.arrayBuffer();
    const etag = await etagOf(body);
    const headers = new Headers(c.res.headers);
    headers.set("ETag", etag);
    headers.set("Cache-Control", `public, max-age=0, s-maxage=${ttl}`);
    headers.set("Vary", "Accept-Encoding");
    const stored = new Headers(headers);
    for (const h of PRIVATE_HEADERS) stored.delete(h);
    const put = cache.put(key, new Response(body, { status: 200, headers: stored })).catch(() => undefined);
    try {
      c.executionCtx.waitUntil(put);
    } catch {
      await put;
    }
    headers.set("X-Edge-Cache", "miss");
    c.res = undefined;
    c.res = matches(ifNoneMatch, etag)
      ? new Response(null, { status: 304, headers: notModified(headers) })
      : new Response(body, { status: 200, headers });
  };
}
