/**
 * A fake of the scraper API the influencer module calls (functions/influencer/scraper.ts):
 * `POST /search {platform, searchType, keywords, targetUsername, region, cursor}` → `{items, nextCursor}`.
 * Tests register creators per search key (the first keyword, or the target username) through `/__control`:
 * POST /creators {key, items, pageSize}, plus the shared POST /rules (match on "key=<key> cursor=<n>"; a rule may
 * also carry `nextCursor` or `body` to answer a stuck cursor or garbage), GET /calls?match=, POST /reset.
 */
import { applyRule, readJson, send, startFake, takeRule, type FakeServer } from "./common.js";

interface Catalogue {
  items: Record<string, unknown>[];
  pageSize: number;
}

export function startScraperApi(): Promise<FakeServer> {
  const catalogues = new Map<string, Catalogue>();
  return startFake(
    "scraper-api",
    async (req, res, url, state) => {
      if (req.method !== "POST" || url.pathname !== "/search") return send(res, 404, { error: "not found" });
      const body = await readJson(req);
      const key = String(body.keywords?.[0] ?? body.targetUsername ?? "");
      const cursor = Number(body.cursor ?? 0);
      const subject = `key=${key} cursor=${cursor}`;
      state.calls.push({ method: "POST", path: `/search?${subject}`, at: Date.now(), body, auth: req.headers.authorization ?? null });
      const rule = takeRule(state, subject);
      if (await applyRule(rule, res)) return;
      if (rule?.body !== undefined) return send(res, 200, rule.body);
      // "*" answers any search without a catalogue of its own (npm run dev's sample creators).
      const cat = catalogues.get(key) ?? catalogues.get("*") ?? { items: [], pageSize: 10 };
      const items = cat.items.slice(cursor, cursor + cat.pageSize);
      const next = cursor + cat.pageSize < cat.items.length ? cursor + cat.pageSize : null;
      return send(res, 200, { items, nextCursor: rule && "nextCursor" in rule ? rule.nextCursor : next });
    },
    (route, body) => {
      if (route === "POST /creators") {
        catalogues.set(String(body.key), { items: body.items ?? [], pageSize: Number(body.pageSize ?? 10) });
        return { keys: catalogues.size };
      }
      return undefined;
    },
  );
}
