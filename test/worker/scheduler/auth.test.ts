/** Identity: salted API keys (issue, verify, list, revoke, last-used throttling), Auth.js sessions, admin-only routes. */
import { describe, expect, it } from "vitest";
import { lastUsedKey } from "../../../functions/scheduler/auth";
import { api, redisCommand, sql } from "../helpers";
import { adminHeaders, BASE, call, createSession, createUser, ok } from "./helpers";

const sha256hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

const waitFor = async <T>(fn: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("waitFor timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("API keys", () => {
  it("are shown once and stored as prefix + salt + salted digest", async () => {
    const u = await createUser({ email: `${crypto.randomUUID()}@example.com`, name: "Ada" });
    expect(u.key).toMatch(/^sch_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}$/);
    const [row] = await sql<{ prefix: string; salt: string; hash: string }>(
      `SELECT prefix, salt, hash FROM scheduler."ApiKey" WHERE "userId" = $1`,
      [u.id],
    );
    const secret = u.key.slice(row!.prefix.length + 1);
    expect(row!.prefix).toBe(u.prefix);
    expect(row!.salt.length).toBeGreaterThanOrEqual(12);
    expect(row!.hash).toBe(await sha256hex(`${row!.salt}${secret}`));
    expect(JSON.stringify(row)).not.toContain(secret);
    const me = await ok(await call(u, "/me"));
    expect(me).toMatchObject({ id: u.id, name: "Ada" });
  });

  it("a wrong secret, a malformed key or none answer 401 problem+json", async () => {
    const u = await createUser();
    for (const auth of [`Bearer ${u.prefix}_wrongsecretwrongsecret`, "Bearer sch_nope", "Bearer not-a-key", undefined]) {
      const res = await api(`${BASE}/me`, { headers: auth ? { Authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.text()).not.toContain(u.key);
    }
  });

  it("are listed (prefix, name, created, last used) and revoked at once, even while cached", async () => {
    const u = await createUser({ keyName: "first" });
    const second = await ok(await call(u, "/api-keys", "POST", { name: "ci" }), 201);
    expect(second.key.startsWith(second.prefix)).toBe(true);
    const h2 = { Authorization: `Bearer ${second.key}` };
    await ok(await api(`${BASE}/me`, { headers: h2 })); // now cached in Redis
    const list = await ok(await call(u, "/api-keys"));
    expect(list.items.map((k: any) => k.name).sort()).toEqual(["ci", "first"]);
    expect(Object.keys(list.items[0]).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix"]);
    expect(JSON.stringify(list)).not.toContain(second.key);
    expect((await call(u, `/api-keys/${second.id}`, "DELETE")).status).toBe(204);
    expect((await api(`${BASE}/me`, { headers: h2 })).status).toBe(401);
    expect((await call(u, `/api-keys/${second.id}`, "DELETE")).status).toBe(404);
    const other = await createUser();
    const otherKeys = await ok(await call(other, "/api-keys"));
    expect((await call(u, `/api-keys/${otherKeys.items[0].id}`, "DELETE")).status).toBe(404);
    expect((await call(other, "/me")).status).toBe(200);
  });

  it("lastUsedAt is written after the response, at most once a minute per key (throttled in Redis)", async () => {
    const u = await createUser();
    const lastUsed = async () =>
      (await sql<{ t: string | null }>(`SELECT "lastUsedAt"::text AS t FROM scheduler."ApiKey" WHERE prefix = $1`, [u.prefix]))[0]!.t;
    await ok(await call(u, "/me"));
    await waitFor(async () => (await lastUsed()) !== null);
    expect(await redisCommand("EXISTS", lastUsedKey(u.prefix))).toBe(1);
    await sql(`UPDATE scheduler."ApiKey" SET "lastUsedAt" = '2000-01-01' WHERE prefix = $1`, [u.prefix]);
    for (let i = 0; i < 3; i++) await ok(await call(u, "/me"));
    await new Promise((r) => setTimeout(r, 300));
    expect(await lastUsed()).toBe("2000-01-01 00:00:00");
    await redisCommand("DEL", lastUsedKey(u.prefix)); // the minute is over
    await ok(await call(u, "/me"));
    await waitFor(async () => (await lastUsed()) !== "2000-01-01 00:00:00");
  });
});

describe("Auth.js sessions", () => {
  it("a session token works as a bearer token and as the authjs.session-token cookie", async () => {
    const u = await createUser();
    const token = await createSession(u.id);
    expect((await ok(await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${token}` } }))).id).toBe(u.id);
    expect((await ok(await api(`${BASE}/me`, { headers: { Cookie: `theme=dark; authjs.session-token=${token}` } }))).id).toBe(u.id);
    expect((await ok(await api(`${BASE}/me`, { headers: { Cookie: `__Secure-authjs.session-token=${token}` } }))).id).toBe(u.id);
  });

  it("session requests are not failed API-key logins: 40 in a row from one IP all pass", async () => {
    const u = await createUser();
    const token = await createSession(u.id);
    for (let i = 0; i < 40; i++) expect((await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("an expired or unknown session answers 401", async () => {
    const u = await createUser();
    const expired = await createSession(u.id, -1000);
    expect((await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${expired}` } })).status).toBe(401);
    expect((await api(`${BASE}/me`, { headers: { Authorization: `Bearer ${crypto.randomUUID()}` } })).status).toBe(401);
  });

  it("a session can create jobs like a key can, scoped to its user", async () => {
    const u = await createUser();
    const token = await createSession(u.id);
    const s = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const job = await ok(await call(s, "/jobs", "POST", { definitionNL: "every 15 minutes" }), 201);
    expect((await ok(await call(u, `/jobs/${job.id}`))).id).toBe(job.id);
  });
});

describe("admin routes", () => {
  it("need the admin token: a user's key is refused", async () => {
    const u = await createUser();
    expect((await api(`${BASE}/users`, { method: "POST", headers: { ...u.headers }, body: "{}" })).status).toBe(403);
    expect((await api(`${BASE}/users`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(401);
    expect((await api(`${BASE}/users/${u.id}`, { method: "DELETE", headers: u.headers })).status).toBe(403);
  });

  it("a duplicate email answers 409", async () => {
    const email = `${crypto.randomUUID()}@example.com`;
    await createUser({ email });
    const res = await api(`${BASE}/users`, { method: "POST", headers: adminHeaders, body: JSON.stringify({ email }) });
    expect(res.status).toBe(409);
  });
});
