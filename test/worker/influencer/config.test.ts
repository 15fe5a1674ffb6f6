/** System configuration: admin CRUD with value types, hot reload through Redis, Postgres when Redis is down. */
import { afterEach, describe, expect, it } from "vitest";
import { control, sql } from "../helpers";
import { call, campaignWithJob, drain, json, problem, user } from "./helpers";

const put = (category: string, key: string, body: Record<string, unknown>) =>
  call("PUT", `/admin/config/${category}/${key}`, { admin: true, body });
const testKeys: [string, string][] = [];
afterEach(async () => {
  for (const [category, key] of testKeys.splice(0))
    await call("DELETE", `/admin/config/${category}/${key}`, { admin: true }).then((r) => r.arrayBuffer());
});

describe("admin CRUD", () => {
  it("creates (201), changes (200), reads, lists and deletes a row", async () => {
    testKeys.push(["test", "greeting"]);
    const created = await json(await put("test", "greeting", { value: "hello", valueType: "string", description: "A greeting" }), 201);
    expect(created).toMatchObject({ category: "test", key: "greeting", value: "hello", valueType: "string", isHotReloadable: "true" });
    const changed = await json(await put("test", "greeting", { value: "hi", valueType: "string" }), 200);
    expect(changed).toMatchObject({ value: "hi", description: "A greeting" });
    expect(await json(await call("GET", "/admin/config/test/greeting", { admin: true }), 200)).toMatchObject({ value: "hi" });
    const list = await json(await call("GET", "/admin/config", { admin: true }), 200);
    expect(list.items.map((r: any) => `${r.category}.${r.key}`)).toContain("test.greeting");
    expect((await call("DELETE", "/admin/config/test/greeting", { admin: true })).status).toBe(204);
    await problem(await call("GET", "/admin/config/test/greeting", { admin: true }), 404);
    await problem(await call("DELETE", "/admin/config/test/greeting", { admin: true }), 404);
  });

  it.each([
    ["number", "12abc"],
    ["number", ""],
    ["boolean", "yes"],
    ["duration", "soon"],
    ["duration", "2 fortnights"],
    ["json", "{not json"],
  ])("a %s value that does not parse (%j) is a 400 and stores nothing", async (valueType, value) => {
    const p = await problem(await put("test", "bad_value", { value, valueType }), 400);
    expect(p.errors).toEqual([{ path: "body.value", message: expect.any(String) }]);
    expect(await sql("SELECT 1 FROM influencer.system_configurations WHERE category = 'test' AND key = 'bad_value'")).toHaveLength(0);
  });

  it("accepts values that parse, and refuses unknown value types and bad names", async () => {
    for (const [key, value, valueType] of [
      ["n", "2.5", "number"],
      ["b", "false", "boolean"],
      ["d", "90 minutes", "duration"],
      ["j", '{"a":[1]}', "json"],
    ]) {
      testKeys.push(["test", key!]);
      await json(await put("test", key!, { value, valueType }), 201);
    }
    await problem(await put("test", "x", { value: "1", valueType: "integer" }), 400);
    await problem(await put("Test", "x", { value: "1", valueType: "number" }), 400);
  });

  it("only admins", async () => {
    const u = await user();
    await problem(await call("GET", "/admin/config", { token: u.token }), 403);
    await problem(
      await call("PUT", "/admin/config/api/max_api_calls_production", { token: u.token, body: { value: "1", valueType: "number" } }),
      403,
    );
  });
});

describe("hot reload", () => {
  it("reads come from Redis; an admin write is seen by the very next request without a redeploy", async () => {
    testKeys.push(["api", "max_results_production"]);
    await json(await put("api", "max_results_production", { value: "40", valueType: "number" }), 201);
    const u = await user();
    expect((await campaignWithJob(u)).job.targetResults).toBe(40);
    const warm = await call("GET", "/admin/config/api/max_results_production", { admin: true });
    expect(warm.headers.get("X-Config-Source")).toBe("redis");
    // A change behind the API's back is not seen while Redis holds the snapshot: reads really are cached …
    await sql("UPDATE influencer.system_configurations SET value = '30' WHERE category = 'api' AND key = 'max_results_production'");
    expect((await campaignWithJob(u)).job.targetResults).toBe(40);
    // … and a write through the API reaches the next request.
    await json(await put("api", "max_results_production", { value: "7", valueType: "number" }), 200);
    expect((await campaignWithJob(u)).job.targetResults).toBe(7);
  });

  it("the API-call limit changes how far the next step goes", async () => {
    testKeys.push(["api", "max_api_calls_production"]);
    await json(await put("api", "max_api_calls_production", { value: "1", valueType: "number" }), 201);
    const u = await user();
    const { job } = await campaignWithJob(u, { n: 6, pageSize: 2 });
    const outcomes = await drain(job.id);
    expect(outcomes.map((o) => [o.outcome, o.job.processedRuns, o.job.processedResults])).toEqual([["completed", 1, 2]]);
  });

  it("with Redis down, Postgres answers", async () => {
    testKeys.push(["api", "max_results_production"]);
    await json(await put("api", "max_results_production", { value: "12", valueType: "number" }), 201);
    await control("/redis/stop");
    try {
      const res = await call("GET", "/admin/config/api/max_results_production", { admin: true });
      expect(res.headers.get("X-Config-Source")).toBe("postgres");
      expect(await json(res, 200)).toMatchObject({ value: "12" });
      const u = await user();
      expect((await campaignWithJob(u)).job.targetResults).toBe(12);
    } finally {
      await control("/redis/start");
    }
  });
});
