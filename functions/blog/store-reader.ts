/**
 * What the brand-voice analyzer reads: the store's home page and, when it links them, an about page and up to
 * BLOG_STORE_PRODUCT_PAGES product pages of the same host. Every URL (also each redirect) passes the outbound-URL
 * guard; the whole read has one deadline (BLOG_STORE_TIMEOUT_MS); each page is read up to BLOG_STORE_PAGE_MAX_BYTES
 * and the text of all pages together is cut to BLOG_STORE_MAX_CHARS (src/core/page-text.ts).
 *
 * The home page is required: when it stalls past the deadline the caller gets 503 (Retry-After), when the store is
 * unreachable or answers 5xx/429 503, and when it answers something else than a readable HTML page (4xx, not HTML, no
 * text at all) 502 — an expired analysis is served stale meanwhile (brand-voice.cache.ts). The other pages are
 * best effort: one that fails or is still loading at the deadline is left out, and the analysis uses what was read.
 * Store URLs are normalised to https; a store that does not answer over https is read over http.
 */
import { withDeadline } from "../../src/core/deadline";
import { type PageText, readPageText } from "../../src/core/page-text";
import { assertPublicUrl } from "../../src/core/url-guard";
import { UpstreamError } from "../../src/core/upstream";

export const STORE = "store";

export interface StorePage {
  url: string;
  kind: "home" | "about" | "product";
  title: string;
  description: string;
  text: string;
}

export interface StoreReaderConfig {
  timeoutMs: number;
  maxPageBytes: number;
  maxChars: number;
  productPages: number;
  allowHosts: string[];
}

const MAX_REDIRECTS = 3;
const ABOUT = /\/(about|about-us|our-story|story|who-we-are|our-boutique)(?:[/.]|$)/i;
const PRODUCT = /\/(products?|dresses?|gowns?|items?|p)\/[^/]+/i;

/** GET one page, following redirects by hand so each hop passes the guard. */
async function fetchPage(url: string, cfg: StoreReaderConfig, signal: AbortSignal): Promise<{ url: string; page: PageText }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    assertPublicUrl(current, { allowHosts: cfg.allowHosts });
    let res: Response;
    try {
      res = await fetch(current, {
        signal,
        redirect: "manual",
        headers: { Accept: "text/html,application/xhtml+xml", "User-Agent": "edge-backend brand-voice reader" },
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new UpstreamError(STORE, { kind: "network", message: err instanceof Error ? err.message : String(err) }, { cause: err });
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new UpstreamError(STORE, { kind: "invalid", message: "too many redirects" });
      current = new URL(location, current).toString();
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamError(STORE, { kind: "status", status: res.status });
    }
    const type = res.headers.get("content-type") ?? "";
    if (!/^\s*(text\/html|application\/xhtml\+xml)/i.test(type)) {
      await res.body?.cancel();
      throw new UpstreamError(STORE, { kind: "invalid", message: "not an HTML page" });
    }
    const page = await readPageText(res, { maxBytes: cfg.maxPageBytes, maxChars: cfg.maxChars });
    return { url: current, page };
  }
}

/** The home page over https, or over http when https is not answered at all (not when it is slow). */
async function fetchHome(url: string, cfg: StoreReaderConfig, signal: AbortSignal) {
  try {
    return await fetchPage(url, cfg, signal);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.failure.kind === "network") || !url.startsWith("https:")) throw err;
    return fetchPage(`http:${url.slice("https:".length)}`, cfg, signal);
  }
}

/** The about page and product pages the home page links to, same host only, in link order. */
function pickLinks(base: string, links: string[], productPages: number): { about?: string; products: string[] } {
  const home = new URL(base);
  let about: string | undefined;
  const products: string[] = [];
  const seen = new Set<string>([home.toString()]);
  for (const href of links) {
    let u: URL;
    try {
      u = new URL(href, home);
    } catch {
      continue;
    }
    if (u.host !== home.host || (u.protocol !== "http:" && u.protocol !== "https:")) continue;
    u.hash = "";
    u.search = "";
    const key = u.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!about && ABOUT.test(u.pathname)) about = key;
    else if (products.length < productPages && PRODUCT.test(u.pathname)) products.push(key);
  }
  return { about, products };
}

/** Reads the store (see above). Throws UpstreamError or a 503 DeadlineExceeded/400 problem for the home page. */
export async function readStore(storeUrl: string, cfg: StoreReaderConfig): Promise<StorePage[]> {
  const started = Date.now();
  const home = await withDeadline((signal) => fetchHome(storeUrl, cfg, signal), cfg.timeoutMs, STORE);
  const homePage: StorePage = { url: home.url, kind: "home", ...home.page };
  if (!homePage.text && !homePage.title && !homePage.description)
    throw new UpstreamError(STORE, { kind: "invalid", message: "no readable text" });

  const { about, products } = pickLinks(home.url, home.page.links, cfg.productPages);
  const wanted: { url: string; kind: StorePage["kind"] }[] = [
    ...(about ? [{ url: about, kind: "about" as const }] : []),
    ...products.map((url) => ({ url, kind: "product" as const })),
  ];
  const remaining = cfg.timeoutMs - (Date.now() - started);
  const others =
    wanted.length && remaining > 0
      ? await Promise.allSettled(
          wanted.map((w) =>
            withDeadline((signal) => fetchPage(w.url, cfg, signal), remaining, STORE).then(
              (r): StorePage => ({ url: r.url, kind: w.kind, ...r.page }),
            ),
          ),
        )
      : [];
  const pages = [homePage, ...others.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))];

  // One share of the text budget per page; what a short page leaves over goes to the pages after it.
  let budget = cfg.maxChars;
  return pages.map((p, i) => {
    const share = Math.floor(budget / (pages.length - i));
    const text = p.text.slice(0, share);
    budget -= text.length;
    return { url: p.url, kind: p.kind, title: p.title, description: p.description, text };
  });
}
