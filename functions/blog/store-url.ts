/**
 * One store, one key: store URLs are normalised before they are cached or saved on a session, so
 * `HTTP://Bridal.example/?utm_source=x`, `bridal.example` and `https://bridal.example/` are the same row.
 */
import { HttpProblem, problemTypes } from "../../src/core/problem";

const TRACKING =
  /^(utm_.+|gclid|gbraid|wbraid|dclid|fbclid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref|ref_src|srsltid)$/i;

/** https, lower-case host without a trailing dot or default port, no credentials, fragment, tracking parameters or trailing slash; other parameters sorted. Null when it is not a web address. */
export function normalizeStoreUrl(input: string): string | null {
  let raw = input.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) raw = `https://${raw}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.replace(/\.$/, "");
  if (!host.includes(".") || host.startsWith(".")) return null;
  const port = url.port && url.port !== "80" && url.port !== "443" ? `:${url.port}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  const params = [...url.searchParams]
    .filter(([k]) => !TRACKING.test(k))
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  const query = params.length ? `?${new URLSearchParams(params)}` : "";
  return `https://${host}${port}${path}${query}`;
}

export const invalidUrl = (path: string) =>
  new HttpProblem({
    status: 400,
    type: problemTypes.validation,
    detail: "The request body is invalid.",
    errors: [{ path, message: "must be a web address (http or https) with a host name" }],
  });
