/** Headers for content users stored (outputs, skill and client files) when it is served from the API origin. */

/** Types shown in the browser when opened directly; everything else (HTML above all) downloads. */
const INLINE = new Set(["text/plain", "text/markdown", "text/csv", "application/json"]);

/**
 * Never sniffed into another type; if rendered anyway, sandboxed by CSP (no scripts, no same-origin access);
 * `filename` must already be a safe name (letters, digits, `.`, `_`, `-`).
 */
export function storedContentHeaders(p: { contentType: string; size: number; etag: string; filename: string }): Record<string, string> {
  const essence = p.contentType.split(";")[0]!.trim().toLowerCase();
  return {
    "Content-Type": p.contentType,
    "Content-Length": String(p.size),
    ETag: p.etag,
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'",
    "Content-Disposition": `${INLINE.has(essence) ? "inline" : "attachment"}; filename="${p.filename}"`,
  };
}
