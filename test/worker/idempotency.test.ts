/** Idempotency keys on creates, and the deadline on Postgres: a stalled database answers 503 and a retry creates exactly one row. */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { digest } from "../../src/core/secrets";
import { api, control, redisCommand, sql, uniq } from "./helpers";
import { BASE, createUser, json, problem, type TestUser } from "./marketing/helpers";

afterEach(async () => {
  // A failed test must never leave a frozen Postgres, a stopped Redis or an injected fault behind.
  await control("/faults/reset", {});
  await control("/postgres/start");
  await control("/redis/start");
});
afterAll(() => control("/postgres/start"));

function post(u: TestUser, path: string, body: unknown, key?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${u.key}`, "Content-Type": "application/json" };
  if (key) headers["Idempotency-Key"] = key;
  return api(`${BASE}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

const rowsWithSlug = (u: TestUser, slug: string) => sql("SELECT id FROM marketing.clients WHERE user_id = $1 AND slug = $2", [u.id, slug]);

describe("Idempotency-Key on POST /v1/marketing/clients", () => {
  it("replays the first answer byte for byte and creates one row", async () => {
    const u = await createUser();
    const slug = uniq("idem");
    const key = crypto.randomUUID();
    const first = await post(u, "/clients", { name: "Idem", slug }, key);
    const firstText = await first.text();
    expect(first.status, firstText).toBe(201);
    const again = await post(u, "/clients", { name: "Idem", slug }, key);
    expect(again.status).toBe(201);
    expect(await again.text()).toBe(firstText);
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(again.headers.get("Content-Type")).toBe(first.headers.get("Content-Type"));
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await rowsWithSlug(u, slug)).toHaveLength(1);
  });

  it("answers 422 for the same key with another body, and keeps keys apart per principal", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const key = crypto.randomUUID();
    const slug = uniq("idem");
    await json(await post(a, "/clients", { name: "One", slug }, key), 201);
    const other = await problem(await post(a, "/clients", { name: "Two", slug: uniq("idem") }, key), 422);
    expect(other.type).toBe("/problems/idempotency-key-reused");
    // another principal with the same key is a different request
    const theirs = await post(b, "/clients", { name: "One", slug }, key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await rowsWithSlug(a, slug)).toHaveLength(1);
    expect(await rowsWithSlug(b, slug)).toHaveLength(1);
  });

  it("rejects a malformed key with 400 and leaves requests without a key alone", async () => {
    const u = await createUser();
    const bad = await problem(await post(u, "/clients", { name: "X", slug: uniq("idem") }, "bad key with spaces"), 400);
    expect(bad.errors[0].path).toBe("header.Idempotency-Key");
    const slug = uniq("idem");
    await json(await post(u, "/clients", { name: "X", slug }), 201);
    await problem(await post(u, "/clients", { name: "X", slug }), 409);
  });

  it("does not keep a failed answer: a 409 is kept, a retry after a 5xx runs again", async () => {
    const u = await createUser();
    const slug = uniq("idem");
    await json(await post(u, "/clients", { name: "X", slug }), 201);
    const key = crypto.randomUUID();
    const clash = await post(u, "/clients", { name: "X", slug }, key);
    expect(clash.status).toBe(409);
    const replay = await post(u, "/clients", { name: "X", slug }, key);
    expect(replay.status).toBe(409);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("with Redis down: 503 + Retry-After for a request carrying a key; requests without a key still work", async () => {
    const u = await createUser();
    await control("/redis/stop");
    try {
      const slug = uniq("idem");
      const res = await post(u, "/clients", { name: "Down", slug }, crypto.randomUUID());
      const body = await problem(res, 503);
      expect(res.headers.get("Retry-After")).toBe("2");
      expect(body.detail).toMatch(/Idempotency/);
      expect(await rowsWithSlug(u, slug)).toHaveLength(0);
      await json(await post(u, "/clients", { name: "Down", slug }), 201);
      expect(await rowsWithSlug(u, slug)).toHaveLength(1);
    } finally {
      await control("/redis/start");
    }
  });
});

describe("Redis fails to take the record after a successful create", () => {
  it("keeps the key in flight: a client retry gets 409 + Retry-After, never a second create", async () => {
    const u = await createUser();
    const slug = uniq("unrec");
    const key = crypto.randomUUID();
    // Every write of a finished record fails (the stand-in answers 500); the in-flight marker and the
    // create itself go through. Before the fix the key was freed and the retry ran the create again.
    await control("/faults", { target: "redis", rules: [{ match: 'state\\":\\"done', status: 500 }] });
    const first = await post(u, "/clients", { name: "Unrecorded", slug }, key);
    const created = await json(first, 201);
    const hits = (await control<{ redis: number }>("/faults")).redis;
    expect(hits).toBeGreaterThan(0);
    await control("/faults/reset", {});

    const retry = await post(u, "/clients", { name: "Unrecorded", slug }, key);
    const p = await problem(retry, 409);
    expect(p.type).toBe("/problems/idempotency-in-flight");
    expect(retry.headers.get("Retry-After")).toBeTruthy();
    const rows = await rowsWithSlug(u, slug);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(created.id);
    // The marker was stretched to the record's lifetime, so the retry window cannot reopen in seconds.
    const [rkey] = await redisCommand<string[]>("KEYS", `idem:*:${await digest(key)}`);
    expect(rkey).toBeTruthy();
    expect(await redisCommand<number>("TTL", rkey!)).toBeGreaterThan(3600);
  });
});

describe("Postgres stalled (SIGSTOP)", () => {
  it("POST /clients answers 503 within DB_TIMEOUT_MS; a duplicate meanwhile gets 409; after resume the same key yields exactly one row", async () => {
    const u = await createUser();
    const slug = uniq("stall");
    const key = crypto.randomUUID();
    const body = { name: "Stalled", slug };
    // Warm the key cache, so authentication needs no Postgres while it is frozen.
    await json(await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${u.key}` } }), 200);

    await control("/postgres/stop");
    let first: Response;
    let ms: number;
    try {
      const t0 = Date.now();
      const pending = post(u, "/clients", body, key);
      await new Promise((r) => setTimeout(r, 300));
      const dup = await post(u, "/clients", body, key);
      expect((await problem(dup, 409)).type).toBe("/problems/idempotency-in-flight");
      expect(dup.headers.get("Retry-After")).toBeTruthy();
      first = await pending;
      ms = Date.now() - t0;
    } finally {
      await control("/postgres/start");
    }
    const p = await problem(first, 503);
    expect(first.headers.get("Retry-After")).toBeTruthy();
    expect(p.detail).toMatch(/database/);
    console.log(`time to 503 with Postgres stalled: ${ms} ms`);

    // The frozen INSERT reached the database late: its deadline guard rolled it back.
    await new Promise((r) => setTimeout(r, 500));
    expect(await rowsWithSlug(u, slug)).toHaveLength(0);
    const retry = await post(u, "/clients", body, key);
    const created = await json(retry, 201);
    const replay = await post(u, "/clients", body, key);
    expect((await json(replay, 201)).id).toBe(created.id);
    const rows = await rowsWithSlug(u, slug);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(created.id);
  });
});
