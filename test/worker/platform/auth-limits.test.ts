/**
 * The per-principal rate limit and the per-IP failed-authentication limit for JWT and Auth.js-session principals,
 * as for API keys (test/worker/auth-limits.test.ts): limits come from the env (PRINCIPAL_RATE_LIMIT,
 * AUTH_FAILURE_LIMIT), counts live in the stack's real Redis, tokens are signed here with a real HS256 secret.
 */
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { firstOf } from "../../../src/http/any-auth";
import { supabaseAuth } from "../../../src/http/jwt-auth";
import { type SessionRecord, sessionAuth } from "../../../src/http/session-auth";
import { whoApp, withEnv } from "./app";

const SECRET = "auth-limits-test-secret-0123456789abcdef";
const now = () => Math.floor(Date.now() / 1000);
const octet = () => Math.floor(Math.random() * 250) + 1;
const newIp = () => `198.18.${octet()}.${octet()}`;

const jwtFor = (sub: string) =>
  new SignJWT({ sub, aud: "authenticated", exp: now() + 600, iat: now() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(SECRET));

const sessions = new Map<string, SessionRecord>();
const session = () => {
  const token = `sess-${crypto.randomUUID()}`;
  sessions.set(token, { subject: crypto.randomUUID(), expires: new Date(Date.now() + 3_600_000) });
  return token;
};
const sessionMw = sessionAuth({ namespace: "auth-limits-test", lookup: async (_env, token) => sessions.get(token) ?? null });

const call = (app: ReturnType<typeof whoApp>, token: string, ip: string, env: Record<string, string>) =>
  app.request(
    "/who",
    { headers: { Authorization: `Bearer ${token}`, "CF-Connecting-IP": ip } },
    withEnv({ SUPABASE_JWT_SECRET: SECRET, ...env }),
  );

describe("per-principal rate limit for JWT and session principals", () => {
  it("a JWT principal gets 429 after PRINCIPAL_RATE_LIMIT requests, whichever address they come from", async () => {
    const app = whoApp(supabaseAuth());
    const env = { PRINCIPAL_RATE_LIMIT: "3" };
    const token = await jwtFor(crypto.randomUUID());
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(app, token, newIp(), env)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const over = await call(app, token, newIp(), env);
    expect(over.status).toBe(429);
    expect(over.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    // another principal from the same address is not affected
    const other = await call(app, await jwtFor(crypto.randomUUID()), newIp(), env);
    expect(other.status).toBe(200);
    expect(other.headers.get("RateLimit-Limit")).toBe("3");
  });

  it("a session principal gets 429 after PRINCIPAL_RATE_LIMIT requests", async () => {
    const app = whoApp(sessionMw);
    const env = { PRINCIPAL_RATE_LIMIT: "2" };
    const token = session();
    expect((await call(app, token, newIp(), env)).status).toBe(200);
    const second = await call(app, token, newIp(), env);
    expect(second.status).toBe(200);
    expect(second.headers.get("RateLimit-Remaining")).toBe("0");
    expect((await call(app, token, newIp(), env)).status).toBe(429);
  });

  it("with Redis unreachable, a principal is still held to the limit on this isolate's own count", async () => {
    const app = whoApp(supabaseAuth());
    // nothing listens on the discard port: every Redis request is refused at once
    const env = { PRINCIPAL_RATE_LIMIT: "2", UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const token = await jwtFor(crypto.randomUUID());
    const first = await call(app, token, newIp(), env);
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Remaining")).toBe("1");
    expect((await call(app, token, newIp(), env)).status).toBe(200);
    const over = await call(app, token, newIp(), env);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    // another principal is not affected
    expect((await call(app, await jwtFor(crypto.randomUUID()), newIp(), env)).status).toBe(200);
  });
});

describe("failed JWT / session authentications count toward the per-IP limit", () => {
  it("an IP sending bad JWTs gets 429 after AUTH_FAILURE_LIMIT failures, even for a valid token then; other IPs are unaffected", async () => {
    const app = whoApp(supabaseAuth());
    const env = { AUTH_FAILURE_LIMIT: "3" };
    const ip = newIp();
    const forged = await new SignJWT({ sub: crypto.randomUUID(), aud: "authenticated", exp: now() + 600 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("not-the-secret-0123456789abcdef0123"));
    const statuses: number[] = [];
    for (const bad of [forged, "not-a-jwt", forged]) statuses.push((await call(app, bad, ip, env)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const blocked = await call(app, forged, ip, env);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    const valid = await jwtFor(crypto.randomUUID());
    expect((await call(app, valid, ip, env)).status).toBe(429);
    expect((await call(app, valid, newIp(), env)).status).toBe(200);
  });

  it("an IP sending unknown session tokens gets 429", async () => {
    const app = whoApp(sessionMw);
    const env = { AUTH_FAILURE_LIMIT: "2" };
    const ip = newIp();
    expect((await call(app, `sess-${crypto.randomUUID()}`, ip, env)).status).toBe(401);
    expect((await call(app, `sess-${crypto.randomUUID()}`, ip, env)).status).toBe(401);
    expect((await call(app, `sess-${crypto.randomUUID()}`, ip, env)).status).toBe(429);
    expect((await call(app, session(), ip, env)).status).toBe(429);
  });

  it("firstOf counts one failure when every middleware refuses, none when a later one accepts", async () => {
    const app = whoApp(firstOf(supabaseAuth(), sessionMw));
    const env = { AUTH_FAILURE_LIMIT: "2" };
    const ip = newIp();
    // a session token is refused by the JWT middleware first, then accepted: no failure is counted
    for (let i = 0; i < 4; i++) expect((await call(app, session(), ip, env)).status).toBe(200);
    expect((await call(app, "unknown-token", ip, env)).status).toBe(401);
    expect((await call(app, "unknown-token", ip, env)).status).toBe(401);
    expect((await call(app, "unknown-token", ip, env)).status).toBe(429);
  });
});
