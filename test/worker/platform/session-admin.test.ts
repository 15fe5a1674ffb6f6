/**
 * sessionAuth over the scheduler's real Auth.js `session` table (bearer or cookie, cached in Redis until the
 * session expires), requireAdmin (ADMIN_TOKEN or a module's isAdmin over an authenticated principal), and
 * firstOf (the first middleware that accepts the request wins; a 503 is not swallowed).
 */
import { eq } from "drizzle-orm";
import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import * as scheduler from "./tables";
import { createDb } from "../../../src/db/client";
import type { AppEnv } from "../../../src/env";
import { firstOf } from "../../../src/http/any-auth";
import { requireAdmin } from "../../../src/http/auth";
import { jwtAuth } from "../../../src/http/jwt-auth";
import { createLogger } from "../../../src/core/logger";
import { digest } from "../../../src/core/secrets";
import { forgetSession, sessionAuth } from "../../../src/http/session-auth";
import { countRoundTrips, redisCommand, sql } from "../helpers";
import { bearer, platformEnv, whoApp, withEnv } from "./app";

const lookup = async (env: AppEnv, token: string) => {
  const [s] = await createDb(env, scheduler)
    .select({ subject: scheduler.sessions.userId, expires: scheduler.sessions.expires })
    .from(scheduler.sessions)
    .where(eq(scheduler.sessions.sessionToken, token))
    .limit(1);
  return s ?? null;
};
const session = sessionAuth({ namespace: "platform-test", lookup });
const USER = `u-${crypto.randomUUID()}`;
const token = (name: string) => `${name}-${crypto.randomUUID()}`;

async function addSession(tok: string, expiresInSec: number) {
  await sql(`INSERT INTO scheduler."session" ("sessionToken", "userId", expires) VALUES ($1, $2, now() + make_interval(secs => $3))`, [
    tok,
    USER,
    expiresInSec,
  ]);
}

beforeAll(async () => {
  await sql(`INSERT INTO scheduler."user" (id, email) VALUES ($1, $2)`, [USER, `${USER}@example.com`]);
});

describe("sessionAuth (Auth.js database sessions)", () => {
  const app = whoApp(session);

  it("accepts a bearer session token, then serves it from Redis without Postgres until it expires", async () => {
    const tok = token("bearer");
    await addSession(tok, 3600);
    const first = await countRoundTrips(async () => app.request("/who", bearer(tok), platformEnv));
    expect(first.result.status).toBe(200);
    expect(await first.result.json()).toMatchObject({ kind: "session", subject: USER });
    expect(first.trips.postgres).toBe(1);
    const again = await countRoundTrips(async () => app.request("/who", bearer(tok), platformEnv));
    expect(again.result.status).toBe(200);
    expect(again.trips.postgres).toBe(0);
    const ttl = await redisCommand<number>("PTTL", `platform-test:session:${await digest(tok)}`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    // the cache holds the token's digest, never the token
    expect(await redisCommand<string[]>("KEYS", `*${tok}*`)).toEqual([]);
  });

  it("reads the authjs.session-token and __Secure-authjs.session-token cookies", async () => {
    for (const name of ["authjs.session-token", "__Secure-authjs.session-token"]) {
      const tok = token("cookie");
      await addSession(tok, 600);
      const res = await app.request("/who", { headers: { Cookie: `theme=dark; ${name}=${tok}` } }, platformEnv);
      expect(res.status, name).toBe(200);
      expect(await res.json()).toMatchObject({ kind: "session", subject: USER });
    }
  });

  it("refuses an unknown token and an expired session with invalid_token; none at all with a plain challenge", async () => {
    const unknown = await app.request("/who", bearer(token("nope")), platformEnv);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const tok = token("expired");
    await addSession(tok, -10);
    expect((await app.request("/who", bearer(tok), platformEnv)).status).toBe(401);
    expect(await redisCommand<number>("EXISTS", `platform-test:session:${await digest(tok)}`)).toBe(0);
    const none = await app.request("/who", {}, platformEnv);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("forgetSession drops the cached copy at once (sign-out deletes the row and forgets it)", async () => {
    const tok = token("signout");
    await addSession(tok, 600);
    expect((await app.request("/who", bearer(tok), platformEnv)).status).toBe(200);
    await sql(`DELETE FROM scheduler."session" WHERE "sessionToken" = $1`, [tok]);
    await forgetSession(platformEnv, createLogger("error"), "platform-test", tok);
    expect((await app.request("/who", bearer(tok), platformEnv)).status).toBe(401);
  });
});

const SECRET = "admin-test-secret-0123456789abcdef0123";
const now = () => Math.floor(Date.now() / 1000);
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT({ exp: now() + 60, ...claims }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(SECRET));
const userJwt = jwtAuth({ key: { secret: SECRET } });

describe("requireAdmin", () => {
  it("as before, `middleware: requireAdmin` takes the ADMIN_TOKEN: 200 with an admin principal, 401 (invalid_token) wrong, 401 none", async () => {
    const app = whoApp(requireAdmin);
    const ok = await app.request("/who", bearer(platformEnv.ADMIN_TOKEN!), platformEnv);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ kind: "admin", subject: "admin", claims: {} });
    const wrong = await app.request("/who", bearer("not-the-admin-token"), platformEnv);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    expect((await app.request("/who", {}, platformEnv)).status).toBe(401);
    expect((await app.request("/who", bearer("x"), withEnv({ ADMIN_TOKEN: undefined }))).status).toBe(503);
    expect((await whoApp(requireAdmin()).request("/who", bearer(platformEnv.ADMIN_TOKEN!), platformEnv)).status).toBe(200);
  });

  it("with a module's isAdmin: the admin token, or an authenticated principal the check accepts", async () => {
    const app = whoApp(requireAdmin({ auth: userJwt, isAdmin: async (_c, p) => p.claims.role === "admin" }));
    expect((await app.request("/who", bearer(platformEnv.ADMIN_TOKEN!), platformEnv)).status).toBe(200);
    const admin = await app.request("/who", bearer(await jwt({ sub: "boss", role: "admin" })), platformEnv);
    expect(admin.status).toBe(200);
    expect(await admin.json()).toMatchObject({ kind: "jwt", subject: "boss" });
    const user = await app.request("/who", bearer(await jwt({ sub: "pleb" })), platformEnv);
    expect(user.status).toBe(403);
    expect((await app.request("/who", bearer("garbage"), platformEnv)).status).toBe(401);
    expect((await app.request("/who", {}, platformEnv)).status).toBe(401);
  });

  it("after an auth middleware in the chain, checks the principal it set", async () => {
    const app = whoApp(userJwt, requireAdmin({ isAdmin: async (_c, p) => p.subject === "boss" }));
    expect((await app.request("/who", bearer(await jwt({ sub: "boss" })), platformEnv)).status).toBe(200);
    expect((await app.request("/who", bearer(await jwt({ sub: "pleb" })), platformEnv)).status).toBe(403);
  });
});

describe("firstOf", () => {
  const app = whoApp(firstOf(userJwt, session));

  it("takes a JWT or a session, whichever holds", async () => {
    const viaJwt = await app.request("/who", bearer(await jwt({ sub: "jwt-user" })), platformEnv);
    expect(await viaJwt.json()).toMatchObject({ kind: "jwt", subject: "jwt-user" });
    const tok = token("either");
    await addSession(tok, 600);
    const viaSession = await app.request("/who", bearer(tok), platformEnv);
    expect(viaSession.status).toBe(200);
    expect(await viaSession.json()).toMatchObject({ kind: "session", subject: USER });
  });

  it("answers the first 401 when none holds, and lets a 503 through instead of trying the next", async () => {
    const none = await app.request("/who", bearer(token("neither")), platformEnv);
    expect(none.status).toBe(401);
    // The JWKS answers 404: the identity provider is unreachable, which is not a reason to try the next one.
    const down = whoApp(firstOf(jwtAuth({ key: { jwksUrl: `${platformEnv.JWKS_BASE_URL}/missing/jwks.json` } }), session));
    const { privateKey } = await generateKeyPair("ES256");
    const es = await new SignJWT({ sub: "x", exp: now() + 60 }).setProtectedHeader({ alg: "ES256", kid: "k" }).sign(privateKey);
    const res = await down.request("/who", bearer(es), platformEnv);
    expect(res.status).toBe(503);
  });
});
