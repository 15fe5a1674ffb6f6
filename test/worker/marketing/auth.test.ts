import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, countRoundTrips, sql } from "../helpers";
import { ADMIN, call, createUser, fieldPaths, forgetKey, json, linkChannel, linkCode, problem, type TestUser } from "./helpers";
import { redis, uniq } from "../helpers";

async function sha256(text: string) {
  const buf = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("marketing users and API keys", () => {
  it("admin creates a user and gets the full key once; the database keeps only the lookup part and a digest", async () => {
    const email = `${uniq("ana")}@example.com`;
    const res = await call("POST", "/users", { token: ADMIN, body: { email } });
    const body = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/users/${body.user.id}`);
    expect(body.apiKey).toMatch(/^mk_[a-z0-9]{12}_[\w-]{32}$/);
    expect(body.user).toMatchObject({ email, apiKeyId: body.apiKey.split("_").slice(0, 2).join("_") });
    expect(body.user).not.toHaveProperty("apiKeyHash");

    const [row] = await sql<{ api_key: string; api_key_hash: string }>("SELECT api_key, api_key_hash FROM marketing.users WHERE id = $1", [
      body.user.id,
    ]);
    const secret = body.apiKey.slice(body.user.apiKeyId.length + 1); // the secret is base64url: it may contain "_"
    expect(row!.api_key).toBe(body.user.apiKeyId);
    expect(row!.api_key_hash).toBe(await sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("creates a user without email; a second user with the same email is 409", async () => {
    const anon = await json(await call("POST", "/users", { token: ADMIN, body: {} }), 201);
    expect(anon.user.email).toBeNull();
    const email = `${uniq("dup")}@example.com`;
    await createUser(email);
    await problem(await call("POST", "/users", { token: ADMIN, body: { email } }), 409);
  });

  it("admin routes need the admin token: none → 401, a user's API key → 403, a wrong token → 401", async () => {
    const u = await createUser();
    await problem(await call("POST", "/users", { body: {} }), 401);
    await problem(await call("POST", "/users", { token: u.key, body: {} }), 403);
    await problem(await call("POST", "/users", { token: "nope", body: {} }), 401);
  });

  it("rejects a bad email with 400 naming the field", async () => {
    const body = await problem(await call("POST", "/users", { token: ADMIN, body: { email: "not-an-email" } }), 400);
    expect(body.errors.map((e: any) => e.path)).toEqual(["body.email"]);
  });

  it("user routes need a valid key: missing, malformed, unknown or wrong secret → 401", async () => {
    const u = await createUser();
    await problem(await call("GET", "/me"), 401);
    await problem(await call("GET", "/me", { token: ADMIN }), 401);
    await problem(await call("GET", "/me", { token: "mk_nounderscore" }), 401);
    await problem(await call("GET", "/me", { token: "mk_zzzzzzzzzzzz_secretsecretsecret" }), 401);
    await problem(await call("GET", "/me", { token: `${u.lookup}_wrongsecret` }), 401);
    // the right lookup with a wrong secret is refused from the cache too
    await json(await call("GET", "/me", { token: u.key }), 200);
    await problem(await call("GET", "/me", { token: `${u.lookup}_wrongsecret` }), 401);
  });

  it("GET /me answers the caller; the lookup costs one Postgres query cold and none once cached", async () => {
    const u = await createUser(`${uniq("me")}@example.com`);
    await forgetKey(u);
    const cold = await countRoundTrips(() => call("GET", "/me", { token: u.key }));
    const me = await json(cold.result, 200);
    expect(me).toMatchObject({ id: u.id, apiKeyId: u.lookup, channels: [] });
    expect(cold.trips.postgres).toBe(2); // key lookup + the route's query
    const cached = await redis().get<{ subject: string; hash: string }>(`marketing:apikey:${u.lookup}`);
    expect(cached?.subject).toBe(u.id);
    expect(JSON.stringify(cached)).not.toContain(u.key.slice(u.lookup.length + 1));
    const warm = await countRoundTrips(() => call("GET", "/me", { token: u.key }));
    expect(warm.result.status).toBe(200);
    expect(warm.trips.postgres).toBe(1);
  });

  it("rotation: the old key stops working at once (even though it was cached), the new one works", async () => {
    const u = await createUser();
    await json(await call("GET", "/me", { token: u.key }), 200); // cached now
    const { result, trips } = await countRoundTrips(() => call("POST", "/me/api-key/rotate", { token: u.key }));
    const rotated = await json(result, 200);
    expect(trips.postgres).toBe(1);
    expect(rotated.apiKey).not.toBe(u.key);
    expect(rotated.user.id).toBe(u.id);
    await problem(await call("GET", "/me", { token: u.key }), 401);
    await problem(await call("POST", "/me/api-key/rotate", { token: u.key }), 401);
    const me = await json(await call("GET", "/me", { token: rotated.apiKey }), 200);
    expect(me.apiKeyId).toBe(rotated.user.apiKeyId);
    const [row] = await sql<{ api_key: string }>("SELECT api_key FROM marketing.users WHERE id = $1", [u.id]);
    expect(row!.api_key).toBe(rotated.user.apiKeyId);
  });

  it("two concurrent rotations with the same key: one wins, the other is refused", async () => {
    const u = await createUser();
    await json(await call("GET", "/me", { token: u.key }), 200);
    const both = await Promise.all([
      call("POST", "/me/api-key/rotate", { token: u.key }),
      call("POST", "/me/api-key/rotate", { token: u.key }),
    ]);
    const winner = both.find((r) => r.status === 200)!;
    const loser = both.find((r) => r !== winner)!;
    // the loser either passed authentication before the winner's update (409) or after it (401)
    expect([401, 409]).toContain(loser.status);
    const fresh = (await winner.json<any>()).apiKey;
    await json(await call("GET", "/me", { token: fresh }), 200);
    await problem(await call("GET", "/me", { token: u.key }), 401);
  });

  describe("with Redis down", () => {
    afterAll(async () => {
      await control("/redis/start");
    });

    it("keys are checked against Postgres alone, and a rotation still revokes the old key", async () => {
      const u = await createUser();
      await control("/redis/stop");
      const { result, trips } = await countRoundTrips(() => call("GET", "/me", { token: u.key }));
      expect(result.status).toBe(200);
      expect(trips.postgres).toBe(2);
      const rotated = await json(await call("POST", "/me/api-key/rotate", { token: u.key }), 200);
      await problem(await call("GET", "/me", { token: u.key }), 401);
      await json(await call("GET", "/me", { token: rotated.apiKey }), 200);
      await control("/redis/start");
      await problem(await call("GET", "/me", { token: u.key }), 401);
    });
  });

  it("admin reads a user with channels; an unknown id is 404, a malformed one 400", async () => {
    const u = await createUser();
    await linkChannel(u, "web", uniq("w"));
    const got = await json(await call("GET", `/users/${u.id}`, { token: ADMIN }), 200);
    expect(got.id).toBe(u.id);
    expect(got.channels).toHaveLength(1);
    await problem(await call("GET", "/users/00000000-0000-4000-8000-000000000000", { token: ADMIN }), 404);
    const bad = await problem(await call("GET", "/users/not-a-uuid", { token: ADMIN }), 400);
    expect(bad.errors[0].path).toBe("path.id");
  });
});

describe("marketing channels", () => {
  let ana: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    ana = await createUser();
    bob = await createUser();
  });

  it("links a channel (201 + Location), reads it back, and the admin lookup finds the user", async () => {
    const tg = uniq("tg");
    const code = await linkCode("telegram", tg, "ana_tg");
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    const res = await call("POST", "/me/channels", { token: ana.key, body: { code } });
    const link = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/me/channels/${link.id}`);
    expect(link).toMatchObject({ channel: "telegram", channelUserId: tg, channelUsername: "ana_tg" });
    const [row] = await sql("SELECT user_id, channel, channel_user_id FROM marketing.user_channels WHERE id = $1", [link.id]);
    expect(row).toEqual({ user_id: ana.id, channel: "telegram", channel_user_id: tg });

    expect(await json(await call("GET", `/me/channels/${link.id}`, { token: ana.key }), 200)).toEqual(link);
    const found = await json(await call("GET", `/channels/lookup?channel=telegram&channelUserId=${tg}`, { token: ADMIN }), 200);
    expect(found.user.id).toBe(ana.id);
    expect(found.link.id).toBe(link.id);
    const me = await json(await call("GET", "/me", { token: ana.key }), 200);
    expect(me.channels.map((c: any) => c.id)).toContain(link.id);
  });

  it("the lookup is admin-only, 404 for an unknown identity, 400 for an unknown channel", async () => {
    await problem(await call("GET", "/channels/lookup?channel=slack&channelUserId=x", { token: ana.key }), 403);
    await problem(await call("GET", `/channels/lookup?channel=slack&channelUserId=${uniq("none")}`, { token: ADMIN }), 404);
    const bad = await problem(await call("GET", "/channels/lookup?channel=fax&channelUserId=1", { token: ADMIN }), 400);
    expect(bad.errors.map((e: any) => e.path)).toEqual(["query.channel"]);
  });

  it("a user cannot claim an identity without the bot's code: naming it is refused (400), a made-up code is 422", async () => {
    const victim = uniq("tg");
    const named = await problem(
      await call("POST", "/me/channels", { token: bob.key, body: { channel: "telegram", channelUserId: victim } }),
      400,
    );
    expect(fieldPaths(named)).toContain("body.code");
    await problem(await call("POST", "/me/channels", { token: bob.key, body: { code: "ABCDEFGHJK" } }), 422);
    await problem(await call("GET", `/channels/lookup?channel=telegram&channelUserId=${victim}`, { token: ADMIN }), 404);
  });

  it("a code is the bot's to issue (403 for a user key), redeemable once, and stored only as a digest", async () => {
    await problem(await call("POST", "/channels/link-codes", { token: ana.key, body: { channel: "slack", channelUserId: "x" } }), 403);
    const code = await linkCode("slack", uniq("sl"));
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code))), (b) =>
      b.toString(16).padStart(2, "0"),
    ).join("");
    expect(await redis().exists(`marketing:link-code:${digest}`)).toBe(1);
    expect(await redis().exists(`marketing:link-code:${code}`)).toBe(0);
    await json(await call("POST", "/me/channels", { token: ana.key, body: { code: code.toLowerCase() } }), 201);
    const again = await problem(await call("POST", "/me/channels", { token: ana.key, body: { code } }), 422);
    expect(fieldPaths(again)).toEqual(["body.code"]);
  });

  it("one identity links to one user: a new proof moves it, and no answer tells whether someone else had linked it", async () => {
    const id = uniq("sl");
    const first = await linkChannel(ana, "slack", id);
    // Ana links it again: same answer shape as a first link, not 409.
    const again = await linkChannel(ana, "slack", id);
    expect(again.id).toBe(first.id);
    // The holder of the identity gives Bob a code: the identity moves to Bob, with the same status as a fresh link.
    const moved = await linkChannel(bob, "slack", id);
    expect(moved.id).toBe(first.id);
    const rows = await sql("SELECT user_id FROM marketing.user_channels WHERE channel = 'slack' AND channel_user_id = $1", [id]);
    expect(rows).toEqual([{ user_id: bob.id }]);
    expect((await json(await call("GET", `/channels/lookup?channel=slack&channelUserId=${id}`, { token: ADMIN }), 200)).user.id).toBe(
      bob.id,
    );
    await problem(await call("GET", `/me/channels/${first.id}`, { token: ana.key }), 404);
  });

  it("bad input → 400 naming the fields", async () => {
    const body = await problem(
      await call("POST", "/channels/link-codes", { token: ADMIN, body: { channel: "sms", channelUserId: "" } }),
      400,
    );
    expect(body.errors.map((e: any) => e.path).sort()).toEqual(["body.channel", "body.channelUserId"]);
  });

  it("another user's link is 404 to read or delete; the owner deletes it (204) and it is gone", async () => {
    const link = await linkChannel(ana, "web", uniq("web"));
    await problem(await call("GET", `/me/channels/${link.id}`, { token: bob.key }), 404);
    await problem(await call("DELETE", `/me/channels/${link.id}`, { token: bob.key }), 404);
    const del = await call("DELETE", `/me/channels/${link.id}`, { token: ana.key });
    expect(del.status).toBe(204);
    expect(await sql("SELECT 1 FROM marketing.user_channels WHERE id = $1", [link.id])).toEqual([]);
    await problem(await call("GET", `/me/channels/${link.id}`, { token: ana.key }), 404);
  });
});
