/**
 * A fake of the external dress API (contract in functions/blog/dresses.routes.ts) for the workerd tests.
 * Tests put dresses in its catalogue, set failure/delay rules and read how often it was called,
 * through `/__control`: POST /dresses {items}, POST /remove {ids}, POST /rules {rules}, GET /calls?match=, POST /reset.
 */
import { applyRule, send, startFake, takeRule, type FakeServer } from "./common.js";

interface Dress {
  id: string;
  category?: string | null;
  [field: string]: unknown;
}

export function startDressApi(): Promise<FakeServer> {
  const catalogue = new Map<string, Dress>();
  return startFake(
    "dress-api",
    async (req, res, url, state) => {
      const subject = `${req.method} ${url.pathname}${url.search}`;
      state.calls.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, at: Date.now() });
      if (await applyRule(takeRule(state, subject), res)) return;
      if (req.method !== "GET") return send(res, 405, { error: "method not allowed" });
      if (url.pathname === "/dresses") {
        const category = url.searchParams.get("category");
        const page = Number(url.searchParams.get("page") ?? 1);
        const pageSize = Number(url.searchParams.get("pageSize") ?? 20);
        const all = [...catalogue.values()]
          .filter((d) => category === null || d.category === category)
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const start = (page - 1) * pageSize;
        return send(res, 200, { items: all.slice(start, start + pageSize), hasNext: start + pageSize < all.length });
      }
      const m = url.pathname.match(/^\/dresses\/([^/]+)$/);
      const dress = m ? catalogue.get(decodeURIComponent(m[1]!)) : undefined;
      return dress ? send(res, 200, dress) : send(res, 404, { error: "not found" });
    },
    (route, body) => {
      if (route === "POST /dresses") {
        for (const d of body.items as Dress[]) catalogue.set(d.id, d);
        return { size: catalogue.size };
      }
      if (route === "POST /remove") {
        for (const id of body.ids as string[]) catalogue.delete(id);
        return { size: catalogue.size };
      }
      return undefined;
    },
  );
}
