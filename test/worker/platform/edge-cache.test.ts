/**
 * Public GETs from the colo's Cache API (src/cache/edge-cache.ts), through the real routes with the edge
 * cache on (test/worker/edge.ts): a hit and a 304 cost no round trip, a write purges the catalogue's pages.
 */
import { describe, expect, it } from "vitest";
import { dress, dressApi } from "../blog/helpers";
import { newUser } from "../chat/helpers";
import { edgeApi } from "../edge";
import { countRoundTrips, uniq } from "../helpers";

async function freshDressPath() {
  const id = uniq("edge-dress");
  await dressApi.add([dress(id, uniq("edge-cat"))]);
  return `/v1/blog/dresses/${id}`;
}

describe("edge cache", () => {
  it("stores a public GET with ETag, Cache-Control and Vary; the next request is a hit with no round trip", async () => {
    const path = await freshDressPath();
    const first = await edgeApi(path);
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Edge-Cache")).toBe("miss");
    expect(first.headers.get("X-Cache")).toBe("origin");
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=0, s-maxage=60");
    expect(first.headers.get("Vary")).toContain("Accept-Encoding");
    const body = await first.text();

    const { result: hit, trips } = await countRoundTrips(() => edgeApi(path));
    expect(hit.status).toBe(200);
    expect(hit.headers.get("X-Edge-Cache")).toBe("hit");
    expect(hit.headers.get("ETag")).toBe(etag);
    expect(await hit.text()).toBe(body);
    expect(trips).toEqual({ postgres: 0, redis: 0 });
    // per-request headers are not shared between callers
    expect(hit.headers.get("X-Request-Id")).not.toBe(first.headers.get("X-Request-Id"));
    expect(hit.headers.get("RateLimit-Remaining")).toBeNull();
  });

  it("answers If-None-Match with 304 and no body, from the colo cache and on a miss", async () => {
    const path = await freshDressPath();
    const first = await edgeApi(path);
    const etag = first.headers.get("ETag")!;
    await first.arrayBuffer();
    const { result: notModified, trips } = await countRoundTrips(() => edgeApi(path, { headers: { "If-None-Match": etag } }));
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("ETag")).toBe(etag);
    expect(await notModified.text()).toBe("");
    expect(trips).toEqual({ postgres: 0, redis: 0 });
    // another ETag: the full answer
    const other = await edgeApi(path, { headers: { "If-None-Match": '"0000"' } });
    expect(other.status).toBe(200);
    expect((await other.json<{ externalId: string }>()).externalId).toBe(path.split("/").pop());
    // a miss (another key: an ignored query parameter) still answers 304 when the ETag matches
    const revalidated = await edgeApi(`${path}?v=${uniq("x")}`, { headers: { "If-None-Match": etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("X-Edge-Cache")).toBe("miss");
  });

  it("does not store errors", async () => {
    const path = `/v1/blog/dresses/${uniq("edge-missing")}`;
    expect((await edgeApi(path)).status).toBe(404);
    const again = await edgeApi(path);
    expect(again.status).toBe(404);
    expect(again.headers.get("X-Edge-Cache")).toBeNull();
  });

  it("a definition write purges the public catalogue's pages in this colo", async () => {
    const name = uniq("edge-agent");
    const path = `/v1/chat/agent-definitions/public?q=${name}`;
    const before = await edgeApi(path);
    expect((await before.json<{ items: unknown[] }>()).items).toEqual([]);
    expect((await edgeApi(path)).headers.get("X-Edge-Cache")).toBe("hit");
    const u = await newUser();
    const created = await edgeApi("/v1/chat/agent-definitions", {
      method: "POST",
      headers: u.headers,
      body: JSON.stringify({ name, description: "d", systemPrompt: "p", isPublic: true }),
    });
    expect(created.status).toBe(201);
    const after = await edgeApi(path);
    expect(after.headers.get("X-Edge-Cache")).toBe("miss");
    expect((await after.json<{ items: { name: string }[] }>()).items.map((i) => i.name)).toEqual([name]);
  });
});
