/** Supabase identity: tokens minted here with real HS256; the users row created on first sight; GET /me with the plan. */
import { describe, expect, it } from "vitest";
import { call, expectJson, newUser, sql, token } from "./helpers";
import { api } from "../helpers";

const me = (t: string) => api("/v1/chat/me", { headers: { Authorization: `Bearer ${t}` } });

describe("chat identity", () => {
  it("a valid token creates the user from its claims on first sight, with the free plan", async () => {
    const u = await newUser({ email: "Ada@Example.com", name: "Ada", avatarUrl: "https://img.example/ada.png" });
    const body = await expectJson(await call(u, "GET", "/me"), 200);
    expect(body).toMatchObject({
      id: u.id,
      email: "ada@example.com",
      name: "Ada",
      avatarUrl: "https://img.example/ada.png",
      plan: { plan: "free", agentLimit: 3, isActive: false, status: null },
    });
    const rows = await sql<{ email: string; name: string }>("SELECT email, name FROM chat.users WHERE id = $1", [u.id]);
    expect(rows).toEqual([{ email: "ada@example.com", name: "Ada" }]);
  });

  it("a second call is served from Redis", async () => {
    const u = await newUser();
    expect((await call(u, "GET", "/me")).headers.get("X-Cache")).toBe("origin");
    const again = await call(u, "GET", "/me");
    expect(again.headers.get("X-Cache")).toBe("redis");
    expect((await expectJson(again, 200)).id).toBe(u.id);
  });

  it("a token without email (phone or anonymous sign-in) works: a reserved placeholder is stored, null is shown", async () => {
    const u = await newUser({ email: null });
    const body = await expectJson(await call(u, "GET", "/me"), 200);
    expect(body.email).toBeNull();
    const [row] = await sql<{ email: string }>("SELECT email FROM chat.users WHERE id = $1", [u.id]);
    expect(row!.email).toBe(`${u.id}@no-email.invalid`);
    // and it can create data straight away
    await expectJson(await call(u, "POST", "/conversations", { title: "phone user" }), 201);
  });

  it("a first write creates the user too (no GET /me needed)", async () => {
    const u = await newUser({ email: "first-write@example.com" });
    await expectJson(await call(u, "POST", "/conversations", { title: "hello" }), 201);
    expect(await sql("SELECT 1 FROM chat.users WHERE id = $1 AND email = 'first-write@example.com'", [u.id])).toHaveLength(1);
  });

  it("rejects missing, expired, wrongly signed and wrong-audience tokens with 401 problems", async () => {
    const id = crypto.randomUUID();
    const cases = [
      await api("/v1/chat/me"),
      await me(await token(id, { expiresIn: Math.floor(Date.now() / 1000) - 60 })),
      await me(await token(id, { secret: "not-the-secret-0123456789abcdefghij" })),
      await me(await token(id, { audience: "anon" })),
      await me("not.a.jwt"),
      await me(await token(id, { sub: "user-42" })),
    ];
    for (const res of cases) {
      expect(res.status).toBe(401);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
    const expired = await me(await token(id, { expiresIn: Math.floor(Date.now() / 1000) - 60 }));
    expect((await expired.json<any>()).detail).toMatch(/expired/);
    expect(await sql("SELECT 1 FROM chat.users WHERE id = $1", [id])).toHaveLength(0);
  });

  it("an email already used by another user answers 409, not 500", async () => {
    const a = await newUser({ email: "shared@example.org" });
    await expectJson(await call(a, "GET", "/me"), 200);
    const b = await newUser({ email: "shared@example.org" });
    const res = await call(b, "GET", "/me");
    expect(res.status).toBe(409);
  });
});
