/** Clerk session tokens (RS256, azp allow-list), admins (token, env list, is_admin), and the last-admin rule. */
import { exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, ENV_ADMIN, json, problem, token, uid, user } from "./helpers";

describe("Clerk session tokens", () => {
  it("a valid token answers the caller's own profile", async () => {
    const id = uid();
    const me = await json(await call("GET", "/me", { token: await token(id) }), 200);
    expect(me.userId).toBe(id);
  });

  it("a token without azp is accepted (Clerk checks azp only when present)", async () => {
    expect((await call("GET", "/me", { token: await token(uid(), { azp: null }) })).status).toBe(200);
  });

  it("refuses a missing, expired, foreign-key, wrong-azp, HS256 or garbage token with 401", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const stranger = await token(uid(), { key: privateKey });
    const hs = await new (await import("jose")).SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uid())
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("x".repeat(32)));
    const cases = [
      call("GET", "/me"),
      call("GET", "/me", { token: await token(uid(), { expiresIn: "-1m" }) }),
      call("GET", "/me", { token: stranger }),
      call("GET", "/me", { token: await token(uid(), { azp: "https://evil.example" }) }),
      call("GET", "/me", { token: hs }),
      call("GET", "/me", { token: "not.a.jwt" }),
    ];
    for (const res of await Promise.all(cases)) await problem(res, 401);
    expect(await exportPKCS8(privateKey)).toContain("PRIVATE KEY");
  });

  it("the admin token is not a user token", async () => {
    await problem(await call("GET", "/me", { admin: true }), 401);
  });
});

describe("admins", () => {
  it("admin routes: the admin token and an env-listed admin pass; an ordinary user gets 403, no token 401", async () => {
    await json(await call("GET", "/admin/admins", { admin: true }), 200);
    const listed = await json(await call("GET", "/admin/admins", { token: await token(ENV_ADMIN) }), 200);
    expect(listed.configured).toEqual([ENV_ADMIN]);
    const u = await user();
    await problem(await call("GET", "/admin/admins", { token: u.token }), 403);
    await problem(await call("GET", "/admin/admins"), 401);
  });

  it("promotion makes a user an admin at once (the cached flag is dropped); demotion takes it away", async () => {
    const a = await user();
    await problem(await call("GET", "/admin/config", { token: a.token }), 403);
    expect(await json(await call("PUT", `/admin/admins/${a.id}`, { admin: true }), 200)).toMatchObject({ userId: a.id, isAdmin: true });
    await json(await call("GET", "/admin/config", { token: a.token }), 200);
    const list = await json(await call("GET", "/admin/admins", { token: a.token }), 200);
    expect(list.items.map((i: any) => i.userId)).toContain(a.id);
    const b = await user();
    await json(await call("PUT", `/admin/admins/${b.id}`, { token: a.token }), 200);
    expect(await json(await call("DELETE", `/admin/admins/${a.id}`, { token: b.token }), 200)).toMatchObject({ isAdmin: false });
    await problem(await call("GET", "/admin/config", { token: a.token }), 403);
  });

  it("never demotes the last admin, even when two demotions race", async () => {
    await sql("UPDATE influencer.user_profiles SET is_admin = false WHERE is_admin");
    const a = await user();
    const b = await user();
    await json(await call("PUT", `/admin/admins/${a.id}`, { admin: true }), 200);
    await json(await call("PUT", `/admin/admins/${b.id}`, { admin: true }), 200);
    const [ra, rb] = await Promise.all([
      call("DELETE", `/admin/admins/${a.id}`, { admin: true }),
      call("DELETE", `/admin/admins/${b.id}`, { admin: true }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const left = await sql<{ user_id: string }>("SELECT user_id FROM influencer.user_profiles WHERE is_admin");
    expect(left).toHaveLength(1);
    const last = left[0]!.user_id;
    const refused = await problem(await call("DELETE", `/admin/admins/${last}`, { admin: true }), 409);
    expect(refused.detail).toMatch(/last admin/);
    expect(await sql("SELECT 1 FROM influencer.user_profiles WHERE is_admin")).toHaveLength(1);
  });

  it("demoting a user who is no admin changes nothing; unknown users are 404", async () => {
    const u = await user();
    expect(await json(await call("DELETE", `/admin/admins/${u.id}`, { admin: true }), 200)).toMatchObject({ isAdmin: false });
    await problem(await call("PUT", `/admin/admins/${uid()}`, { admin: true }), 404);
    await problem(await call("DELETE", `/admin/admins/${uid()}`, { admin: true }), 404);
    await problem(await call("PUT", "/admin/admins/bad%20id", { admin: true }), 400);
  });
});
