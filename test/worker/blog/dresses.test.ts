import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { dressKey, listKey } from "../../../functions/blog/dresses.cache";
import { api, control, countRoundTrips, sql } from "../helpers";
import { callWith, dress, dressApi } from "./helpers";
import { client, redis, uniq } from "../helpers";

const list = (category: string, q = "") => api(`/v1/blog/dresses?category=${encodeURIComponent(category)}${q}`);
/** The same listing through the typed client. */
const listTyped = (category: string, page?: number, pageSize?: number) =>
  client.GET("/v1/blog/dresses", { params: { query: { category, page, pageSize } } });
const listCalls = (category: string) => dressApi.calls(`category=${encodeURIComponent(category)}`).then((c) => c.count);

async function seedCategory(n: number, prefix = uniq("cat")) {
  const items = Array.from({ length: n }, (_, i) => dress(`${prefix}-${String(i).padStart(3, "0")}`, prefix));
  await dressApi.add(items);
  return { category: prefix, items };
}

beforeEach(() => dressApi.reset());
afterEach(() => dressApi.reset());
afterAll(() => control("/redis/start"));

describe("GET /v1/blog/dresses: Redis → Postgres → dress API", () => {
  it("answers a cold listing from the API, then from Redis (0 Postgres), then from Postgres (1 round trip)", async () => {
    const { category, items } = await seedCategory(3);

    const cold = await countRoundTrips(() => list(category));
    expect(cold.result.status).toBe(200);
    expect(cold.result.headers.get("x-cache")).toBe("origin");
    const body = await cold.result.json<any>();
    expect(body).toMatchObject({ page: 1, pageSize: 20, hasNext: false });
    expect(body.items.map((d: any) => d.externalId)).toEqual(items.map((d) => d.id));
    expect(body.items[0]).toMatchObject({ name: items[0]!.name, designer: "Vera", price: "$1,999", category, tags: ["lace"] });
    expect(await listCalls(category)).toBe(1);
    expect(cold.trips.postgres).toBe(2); // read the listing, store it

    const rows = await sql<{ external_id: string; ttl_hours: number; raw_data: string }>(
      `SELECT external_id, extract(epoch FROM expires_at - cached_at) / 3600 AS ttl_hours, raw_data FROM blog.cached_dresses WHERE category = $1 ORDER BY external_id`,
      [category],
    );
    expect(rows.map((r) => r.external_id)).toEqual(items.map((d) => d.id));
    expect(Number(rows[0]!.ttl_hours)).toBe(24);
    expect(JSON.parse(rows[0]!.raw_data)).toMatchObject({ id: items[0]!.id, imageUrl: items[0]!.imageUrl });
    expect(await redis().ttl(listKey(category, 1, 20))).toBeGreaterThan(290);

    const hot = await countRoundTrips(() => list(category));
    expect(hot.result.headers.get("x-cache")).toBe("redis");
    expect(await hot.result.json()).toEqual(body);
    expect(hot.trips.postgres).toBe(0);

    await redis().del(listKey(category, 1, 20));
    const warm = await countRoundTrips(() => list(category));
    expect(warm.result.headers.get("x-cache")).toBe("postgres");
    expect(await warm.result.json()).toEqual(body);
    expect(warm.trips.postgres).toBe(1);
    expect(await listCalls(category)).toBe(1);
  });

  it("pages through one mirrored listing; any page of it is then a Postgres hit", async () => {
    const { category, items } = await seedCategory(25);
    const p2 = await listTyped(category, 2, 10);
    expect(p2.response.headers.get("x-cache")).toBe("origin");
    const b2 = p2.data!;
    expect(b2.items.map((d) => d.externalId)).toEqual(items.slice(10, 20).map((d) => d.id));
    expect(b2.hasNext).toBe(true);

    const p3 = await countRoundTrips(() => list(category, "&page=3&pageSize=10"));
    expect(p3.result.headers.get("x-cache")).toBe("postgres");
    expect(p3.trips.postgres).toBe(1);
    const b3 = await p3.result.json<any>();
    expect(b3.items.map((d: any) => d.externalId)).toEqual(items.slice(20).map((d) => d.id));
    expect(b3.hasNext).toBe(false);
    const p9 = await list(category, "&page=9&pageSize=10");
    expect(p9.headers.get("x-cache")).toBe("postgres");
    expect(await p9.json()).toMatchObject({ items: [], hasNext: false });
    expect(await listCalls(category)).toBe(1);
  });

  it("mirrors a listing longer than one API page, page by page, in one statement", async () => {
    const { category, items } = await seedCategory(130);
    const res = await countRoundTrips(() => list(category, "&page=7&pageSize=20"));
    expect((await res.result.json<any>()).items.map((d: any) => d.externalId)).toEqual(items.slice(120).map((d) => d.id));
    expect(res.trips.postgres).toBe(2);
    const calls = await dressApi.calls(`category=${category}`);
    expect(calls.calls.map((c: any) => new URL(c.path, "http://x").searchParams.get("page"))).toEqual(["1", "2"]);
    expect((await sql(`SELECT count(DISTINCT cached_at)::int AS n FROM blog.cached_dresses WHERE category = $1`, [category]))[0]).toEqual({
      n: 1,
    });
  });

  it("does not answer a page from an incomplete listing: a dress stored on its own makes the next miss re-mirror", async () => {
    const { category, items } = await seedCategory(4);
    await list(category);
    const extra = dress(`${category}-zzz`, category);
    await dressApi.add([extra]);
    expect((await api(`/v1/blog/dresses/${extra.id}`)).headers.get("x-cache")).toBe("origin");
    await redis().del(listKey(category, 1, 20));
    const again = await list(category);
    expect(again.headers.get("x-cache")).toBe("origin");
    expect((await again.json<any>()).items.map((d: any) => d.externalId)).toEqual([...items.map((d) => d.id), extra.id]);
    expect(await listCalls(category)).toBe(2);
  });

  it("drops dresses the API no longer lists when it re-mirrors", async () => {
    const { category, items } = await seedCategory(3);
    await list(category);
    await dressApi.remove([items[1]!.id]);
    await sql(`UPDATE blog.cached_dresses SET expires_at = now() - interval '1 minute' WHERE category = $1`, [category]);
    await redis().del(listKey(category, 1, 20));
    const res = await list(category);
    expect(res.headers.get("x-cache")).toBe("origin");
    expect((await res.json<any>()).items.map((d: any) => d.externalId)).toEqual([items[0]!.id, items[2]!.id]);
    expect((await sql(`SELECT 1 FROM blog.cached_dresses WHERE external_id = $1`, [items[1]!.id])).length).toBe(0);
  });

  it("50 concurrent requests for a cold listing make exactly one upstream call", async () => {
    const { category } = await seedCategory(5);
    await dressApi.rules([{ match: `category=${category}`, delayMs: 200 }]);
    const responses = await Promise.all(Array.from({ length: 50 }, () => list(category)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(await listCalls(category)).toBe(1);
  });

  it("refreshes an expired listing from the API", async () => {
    const { category } = await seedCategory(2);
    await list(category);
    await sql(
      `UPDATE blog.cached_dresses SET expires_at = now() - interval '1 minute', cached_at = now() - interval '1 day' WHERE category = $1`,
      [category],
    );
    await redis().del(listKey(category, 1, 20));
    const res = await list(category);
    expect(res.headers.get("x-cache")).toBe("origin");
    const [row] = await sql<{ fresh: boolean }>(
      `SELECT bool_and(expires_at > now() + interval '23 hours') AS fresh FROM blog.cached_dresses WHERE category = $1`,
      [category],
    );
    expect(row!.fresh).toBe(true);
    expect(await listCalls(category)).toBe(2);
  });

  it.each([
    ["answers 500", { status: 500 }],
    ["times out", { delayMs: 1500 }],
  ])("serves the expired copy as stale when the API %s, and keeps serving it from Redis for a while", async (_what, rule) => {
    const { category, items } = await seedCategory(2);
    await list(category);
    await sql(`UPDATE blog.cached_dresses SET expires_at = now() - interval '1 minute' WHERE category = $1`, [category]);
    await redis().del(listKey(category, 1, 20));
    await dressApi.rules([{ match: `category=${category}`, ...rule }]);

    const stale = await list(category);
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-cache")).toBe("stale");
    expect((await stale.json<any>()).items.map((d: any) => d.externalId)).toEqual(items.map((d) => d.id));

    const again = await countRoundTrips(() => list(category));
    expect(again.result.headers.get("x-cache")).toBe("stale");
    expect(again.trips.postgres).toBe(0);
    expect(await listCalls(category)).toBe(2);
  });

  it.each([
    ["answers 500", { status: 500 }],
    ["times out", { delayMs: 1500 }],
  ])("answers 503 with Retry-After when the API %s and nothing is cached", async (_what, rule) => {
    const category = uniq("down");
    await dressApi.rules([{ match: `category=${category}`, ...rule }]);
    const res = await list(category);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await res.json<any>();
    expect(body.type).toBe("/problems/service-unavailable");
    expect(body.detail).toMatch(/dress API/);
    // The failure is remembered for Retry-After seconds: a second caller gets it without another call.
    expect((await list(category)).status).toBe(503);
    expect(await listCalls(category)).toBe(1);
  });

  it("answers 502 when the API answers something that is not a listing", async () => {
    const category = uniq("garbage");
    await dressApi.rules([{ match: `category=${category}`, invalid: true }]);
    const res = await list(category);
    expect(res.status).toBe(502);
    expect((await res.json<any>()).detail).not.toMatch(/html/);
  });

  it("keeps answering 200 from Postgres when Redis stops mid-test", async () => {
    const { category } = await seedCategory(3);
    expect((await list(category)).headers.get("x-cache")).toBe("origin");
    await control("/redis/stop");
    try {
      const res = await countRoundTrips(() => list(category));
      expect(res.result.status).toBe(200);
      expect(res.result.headers.get("x-cache")).toBe("postgres");
      expect(res.trips.postgres).toBe(1);
      const cold = await seedCategory(2);
      const fresh = await list(cold.category);
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get("x-cache")).toBe("origin");
    } finally {
      await control("/redis/start");
    }
    expect(await listCalls(category)).toBe(1);
  });

  it("validates its query", async () => {
    const res = await api("/v1/blog/dresses?pageSize=1000&page=0");
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors.map((e: any) => e.path).sort()).toEqual(["query.page", "query.pageSize"]);
  });
});

describe("GET /v1/blog/dresses/{externalId}", () => {
  it("reads one dress through the same layers: origin, Redis (0 Postgres), Postgres (1 round trip)", async () => {
    const d = dress(uniq("one"), "Mermaid", { extraField: { kept: true } });
    await dressApi.add([d]);
    const cold = await api(`/v1/blog/dresses/${d.id}`);
    expect(cold.status).toBe(200);
    expect(cold.headers.get("x-cache")).toBe("origin");
    expect(await cold.json()).toMatchObject({ externalId: d.id, name: d.name, category: "Mermaid" });
    const [row] = await sql<{ raw_data: string }>(`SELECT raw_data FROM blog.cached_dresses WHERE external_id = $1`, [d.id]);
    expect(JSON.parse(row!.raw_data).extraField).toEqual({ kept: true });

    const hot = await countRoundTrips(() => api(`/v1/blog/dresses/${d.id}`));
    expect(hot.result.headers.get("x-cache")).toBe("redis");
    expect(hot.trips.postgres).toBe(0);

    await redis().del(dressKey(d.id));
    const warm = await countRoundTrips(() => api(`/v1/blog/dresses/${d.id}`));
    expect(warm.result.headers.get("x-cache")).toBe("postgres");
    expect(warm.trips.postgres).toBe(1);
    expect((await dressApi.calls(`/dresses/${d.id}`)).count).toBe(1);
  });

  it("still answers from the API when Postgres is down (the copy is then not stored)", async () => {
    const d = dress(uniq("pgdown"), "Sheath");
    await dressApi.add([d]);
    const res = await callWith({ NEON_SQL_ENDPOINT: "http://127.0.0.1:9/sql" }, `/v1/blog/dresses/${d.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBe("origin");
    expect((await res.json<any>()).name).toBe(d.name);
    expect(await sql(`SELECT 1 FROM blog.cached_dresses WHERE external_id = $1`, [d.id])).toEqual([]);
  });

  it("answers 404 for a dress the API does not know, and remembers it briefly", async () => {
    const id = uniq("nope");
    const res = await api(`/v1/blog/dresses/${id}`);
    expect(res.status).toBe(404);
    expect((await res.json<any>()).type).toBe("/problems/not-found");
    expect((await api(`/v1/blog/dresses/${id}`)).status).toBe(404);
    expect((await dressApi.calls(`/dresses/${id}`)).count).toBe(1);
  });

  it("serves an expired dress as stale when the API fails, and 503 when nothing is cached", async () => {
    const d = dress(uniq("old"), "Ballgown");
    await dressApi.add([d]);
    await api(`/v1/blog/dresses/${d.id}`);
    await sql(`UPDATE blog.cached_dresses SET expires_at = now() - interval '1 second' WHERE external_id = $1`, [d.id]);
    await redis().del(dressKey(d.id));
    await dressApi.rules([{ match: "/dresses/", status: 503 }]);
    const stale = await api(`/v1/blog/dresses/${d.id}`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-cache")).toBe("stale");
    const none = await api(`/v1/blog/dresses/${uniq("never")}`);
    expect(none.status).toBe(503);
    expect(none.headers.get("retry-after")).toBe("7"); // the API's own Retry-After
  });
});

describe("listing keys: no category shares the unfiltered listing's cache or flight", () => {
  it("keys `all` and `category=<value>` apart, whatever the value", () => {
    for (const v of ["*", "all", "%2A", " "]) expect(listKey(v, 1, 20)).not.toBe(listKey(null, 1, 20));
    expect(listKey(null, 1, 20)).toBe("blog:dresses:v2:all:1:20");
    expect(listKey("*", 1, 20)).toBe("blog:dresses:v2:category=*:1:20");
  });

  it("?category=* is refused (400) and cannot make the unfiltered listing empty (the cache-poisoning attack)", async () => {
    await dressApi.add([dress(uniq("wild"), uniq("wildcat"))]);
    await redis().del(listKey(null, 1, 20));
    // Before the fix, the attack's upstream call (slowed down here) was the in-isolate flight the unfiltered listing joined.
    await dressApi.rules([{ match: "category=*", delayMs: 300 }]);
    const attack = list("*");
    await new Promise((r) => setTimeout(r, 50));
    const all = await api("/v1/blog/dresses");
    const refused = await attack;
    expect(all.status).toBe(200);
    expect((await all.json<any>()).items.length).toBeGreaterThan(0);
    expect(refused.status).toBe(400);
    expect((await refused.json<any>()).errors.map((e: any) => e.path)).toEqual(["query.category"]);
    expect((await dressApi.calls("category=*")).count).toBe(0);
    expect(await redis().exists(listKey("*", 1, 20))).toBe(0);
    const hot = await redis().get<{ v: { items: unknown[] } }>(listKey(null, 1, 20));
    expect(hot?.v.items.length).toBeGreaterThan(0);
    for (const wildcard of ["%", "?", "a*", "_"]) expect((await list(wildcard)).status).toBe(400);
  });

  it("a category named `all` is its own listing: the unfiltered listing's Redis entry is left as it was", async () => {
    await dressApi.add([dress(uniq("allish"), "all")]);
    await (await api("/v1/blog/dresses")).arrayBuffer();
    const before = await redis().get(listKey(null, 1, 20));
    expect(before).not.toBeNull();
    const res = await list("all");
    expect(res.status).toBe(200);
    expect((await res.json<any>()).items.every((d: any) => d.category === "all")).toBe(true);
    expect(await redis().exists(listKey("all", 1, 20))).toBe(1);
    expect(await redis().get(listKey(null, 1, 20))).toEqual(before);
  });
});
