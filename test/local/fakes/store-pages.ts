/**
 * A fake web store for the brand-voice reader (functions/blog/store-reader.ts) in the workerd tests: plain HTTP on
 * 127.0.0.1, pages keyed by path. Tests put pages through `/__control`: POST /pages { pages: { "/path": StorePage } },
 * plus the shared POST /rules {rules} (status, delayMs before the answer, invalid), GET /calls?match=, POST /reset.
 * A path nobody put answers a small default home page. A page can be padded to any size (`padBytes`, streamed with
 * backpressure, then `tail`), stall after its first bytes (`stallAfterMs`), redirect, or carry another content type;
 * every call records how many bytes were sent and whether the client hung up before the end.
 */
import { applyRule, send, sleep, startFake, takeRule, type FakeServer } from "./common.js";

/** One page of the fake store, as a test puts it. */
export interface StorePage {
  html?: string;
  status?: number;
  contentType?: string;
  /** Location header (with status 301/302) */
  location?: string;
  /** filler bytes streamed after `html`, then `tail` */
  padBytes?: number;
  tail?: string;
  /** send the first part of the body, then wait this long before the rest */
  stallAfterMs?: number;
}

const defaultPage = (path: string) =>
  `<!doctype html><html><head><title>Store ${path}</title></head><body><h1>Welcome to ${path}</h1><p>Bridal gowns for every bride.</p></body></html>`;

export function startStorePages(): Promise<FakeServer> {
  const pages = new Map<string, StorePage>();
  return startFake(
    "store-pages",
    async (req, res, url, state) => {
      const call = { method: req.method ?? "GET", path: url.pathname, at: Date.now(), bytesSent: 0, completed: false };
      state.calls.push(call);
      if (await applyRule(takeRule(state, `${req.method} ${url.pathname}`), res)) return;
      const page = pages.get(url.pathname.replace(/\/+$/, "") || "/") ?? { html: defaultPage(url.pathname) };
      if (page.location) {
        res.writeHead(page.status ?? 302, { location: page.location });
        return void res.end();
      }
      if (page.status && page.status !== 200 && !page.html) return send(res, page.status, { error: "fake store failure" });
      res.writeHead(page.status ?? 200, { "content-type": page.contentType ?? "text/html; charset=utf-8" });
      const write = async (chunk: string) => {
        if (res.destroyed) return false;
        call.bytesSent += Buffer.byteLength(chunk);
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r).once("close", r));
        return !res.destroyed;
      };
      if (!(await write(page.html ?? ""))) return;
      if (page.stallAfterMs) await sleep(page.stallAfterMs);
      const filler = `<p>${"filler ".repeat(1000)}</p>\n`;
      for (let left = page.padBytes ?? 0; left > 0; left -= filler.length) if (!(await write(filler))) return;
      if (page.tail && !(await write(page.tail))) return;
      res.end();
      call.completed = true;
    },
    (route, body) => {
      if (route === "POST /pages") {
        for (const [path, page] of Object.entries(body.pages as Record<string, StorePage>))
          pages.set(path.replace(/\/+$/, "") || "/", page);
        return { size: pages.size };
      }
      return undefined;
    },
  );
}
