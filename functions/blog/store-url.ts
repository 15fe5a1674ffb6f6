/**
 * One store, one key: store URLs are normalised before they are cached or saved on a session, so
 * `HTTP://Bridal.example/?utm_source=x`, `bridal.example` and `https://bridal.example/?x=1#top` are the same row.
 * Every query parameter is dropped, not only known tracking ones: a store is named by its host and path, and
 * keeping unknown parameters let any `?x=n` create a new 7-day brand-voice row (and a new model call).
 */
import { HttpProblem, problemTypes } from "../../src/core/problem";

/** https, lower-case host without a trailing dot or default port, no credentials, query, fragment or trailing slash. Null when it is not a web address. */
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
  return `https://${host}${port}${path}`;
}

export const invalidUrl = (path: string, message = "must be a web address (http or https) with a host name") =>
  new HttpProblem({
    status: 400,
    type: problemTypes.validation,
    detail: "The request body is invalid.",
    errors: [{ path, message }],
  });
