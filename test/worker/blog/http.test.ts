import { beforeAll, describe, expect, it } from "vitest";
import { networkKey } from "../../../src/http/rate-limit";
import { api } from "../helpers";
import { callWith, chatApi, dress, dressApi, jsonRequest, newStore, seedAgents } from "./helpers";
import { uniq } from "../helpers";

const hex4 = () => crypto.randomUUID().slice(0, 4);
/** a fresh /64 each time (addresses within one /64 share a limit) */
const ip = () => `2001:db8:${hex4()}:${hex4()}::1`;

beforeAll(() => seedAgents());

describe("blog rate limits (per client IP, limits from vars)", () => {
  it("answers 429 with Retry-After once a client passes BLOG_RATE_LIMIT; other clients are unaffected", async () => {
    const category = uniq("rl");
    await dressApi.add([dress(`${category}-1`, category)]);
    const client = { headers: { "CF-Connecting-IP": ip() } };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, client)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, client);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json<any>()).type).toBe("/problems/rate-limited");
    expect(
      (await callWith({ BLOG_RATE_LIMIT: "3" }, `/v1/blog/dresses?category=${category}`, { headers: { "CF-Connecting-IP": ip() } })).status,
    ).toBe(200);
  });

  it.each([
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:1:2::", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"],
    ["2001:db8:1:3::1", "2001:db8:1:3::/64"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["198.51.100.7", "198.51.100.7"],
    ["garbage", "garbage"],
  ])("limits %s as %s", (address, key) => {
    expect(networkKey(address)).toBe(key);
  });

  it("an IPv6 client is limited by its /64: new addresses in the same /64 stay limited, another /64 is not", async () => {
    const category = uniq("rl6");
    await dressApi.add([dress(`${category}-1`, category)]);
    const net = `2001:db8:${hex4()}:${hex4()}`;
    const from = (address: string) =>
      callWith({ BLOG_RATE_LIMIT: "2" }, `/v1/blog/dresses?category=${category}`, { headers: { "CF-Connecting-IP": address } });
    const statuses: number[] = [];
    for (const host of ["::1", "::2", `:${hex4()}:${hex4()}:${hex4()}:${hex4()}`, ":ffff:ffff:ffff:ffff"])
      statuses.push((await from(`${net}${host}`)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect((await from(ip())).status).toBe(200);
  });

  it("routes that spend model tokens have their own, lower limit (BLOG_LLM_RATE_LIMIT)", async () => {
    const host = newStore("rl");
    await chatApi.rules([{ match: host, json: { tone: "t", summary: "s" } }]);
    const init = () => ({
      ...jsonRequest({ url: host }),
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.7" },
    });
    expect((await callWith({ BLOG_LLM_RATE_LIMIT: "1" }, "/v1/blog/brand-voice", init())).status).toBe(200);
    expect((await callWith({ BLOG_LLM_RATE_LIMIT: "1" }, "/v1/blog/brand-voice", init())).status).toBe(429);
  });
});

describe("blog OpenAPI", () => {
  it("documents every blog route with its problem responses", async () => {
    const doc = await (await api("/openapi.json")).json<any>();
    const paths = Object.keys(doc.paths)
      .filter((p) => p.startsWith("/v1/blog/"))
      .sort();
    expect(paths).toEqual([
      "/v1/blog/admin/agents",
      "/v1/blog/admin/agents/{agentId}",
      "/v1/blog/admin/sessions",
      "/v1/blog/admin/sessions/{id}",
      "/v1/blog/admin/settings",
      "/v1/blog/admin/settings/{key}",
      "/v1/blog/brand-voice",
      "/v1/blog/dresses",
      "/v1/blog/dresses/{externalId}",
      "/v1/blog/sessions",
      "/v1/blog/sessions/{id}",
      "/v1/blog/sessions/{id}/generate",
      "/v1/blog/sessions/{id}/retry",
    ]);
    const list = doc.paths["/v1/blog/dresses"].get;
    expect(Object.keys(list.responses).sort()).toEqual(["200", "304", "400", "429", "502", "503"]);
    expect(list.responses["200"].headers["X-Cache"]).toBeDefined();
    expect(doc.paths["/v1/blog/sessions/{id}/generate"].post.responses).toHaveProperty("409");
    expect(doc.paths["/v1/blog/sessions/{id}/retry"].post.responses).toHaveProperty("409");
    expect(doc.paths["/v1/blog/admin/agents"].post.responses).toHaveProperty("409");
    expect(doc.paths["/v1/blog/admin/sessions"].get.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths["/v1/blog/admin/settings/{key}"].put.security).toEqual([{ adminToken: [] }]);
  });
});
