/**
 * JWKS key sources against the local fake identity provider (test/local/fakes/jwks.ts): the set is fetched once
 * and then served from the isolate, a fresh isolate takes it from Redis, an unknown `kid` fetches it again at most
 * once a minute (per isolate and, through Redis, across isolates), and a failing, stalled or garbage JWKS answers
 * 503 with Retry-After. Counts are the fake's own request counts.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { clearIsolateJwks } from "../../../src/http/jwks";
import { jwtAuth, supabaseAuth } from "../../../src/http/jwt-auth";
import { redisCommand } from "../helpers";
import { bearer, platformEnv, whoApp, withEnv } from "./app";

const now = () => Math.floor(Date.now() / 1000);

async function jwksControl(path: string, body?: unknown) {
  const res = await fetch(
    `${platformEnv.JWKS_CONTROL_URL}${path}`,
    body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`jwks control ${path}: ${res.status}`);
  return res.json() as Promise<any>;
}
const fetches = async (set: string) => (await jwksControl(`/calls?match=/${set}/`)).count as number;

async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const sign = (sub = "user_1", extra: Record<string, unknown> = {}) =>
    new SignJWT({ sub, exp: now() + 300, ...extra }).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
  return { jwk, sign };
}

function appFor(set: string) {
  const url = `${platformEnv.JWKS_BASE_URL}/${set}/jwks.json`;
  return { url, app: whoApp(jwtAuth({ key: { jwksUrl: url } })) };
}

describe("jwtAuth with a JWKS URL", () => {
  it("fetches the set once, serves it from the isolate, and a fresh isolate takes it from Redis", async () => {
    const set = "cache-1";
    const k1 = await rsaKey("k1");
    await jwksControl("/keys", { set, keys: [k1.jwk] });
    const { url, app } = appFor(set);
    for (let i = 0; i < 3; i++) {
      const res = await app.request("/who", bearer(await k1.sign(`user_${i}`)), platformEnv);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ kind: "jwt", subject: `user_${i}` });
    }
    expect(await fetches(set)).toBe(1);
    expect(await redisCommand<number>("EXISTS", `platform:jwks:${url}`)).toBe(1);

    clearIsolateJwks(); // as if another isolate took the next request
    expect((await app.request("/who", bearer(await k1.sign()), platformEnv)).status).toBe(200);
    expect(await fetches(set)).toBe(1);
  });

  it("refetches for an unknown kid (key rotation), then at most once a minute, across isolates too", async () => {
    const set = "rotate-1";
    const k1 = await rsaKey("k1");
    const k2 = await rsaKey("k2");
    const k3 = await rsaKey("k3");
    await jwksControl("/keys", { set, keys: [k1.jwk] });
    const { app } = appFor(set);
    expect((await app.request("/who", bearer(await k1.sign()), platformEnv)).status).toBe(200);
    expect(await fetches(set)).toBe(1);

    // The provider rotates: k2 appears. A token signed with k2 makes one refetch and passes.
    await jwksControl("/keys", { set, keys: [k1.jwk, k2.jwk] });
    expect((await app.request("/who", bearer(await k2.sign()), platformEnv)).status).toBe(200);
    expect(await fetches(set)).toBe(2);

    // k3 appears too, but the set was fetched less than a minute ago: no fetch, the token is refused for now.
    await jwksControl("/keys", { set, keys: [k1.jwk, k2.jwk, k3.jwk] });
    for (let i = 0; i < 3; i++) {
      const res = await app.request("/who", bearer(await k3.sign()), platformEnv);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(((await res.json()) as { detail: string }).detail).toMatch(/unknown key/);
    }
    expect(await fetches(set)).toBe(2);

    // Another isolate: the Redis guard still holds the minute, so it reads Redis instead of the provider.
    clearIsolateJwks();
    expect((await app.request("/who", bearer(await k3.sign()), platformEnv)).status).toBe(401);
    expect((await app.request("/who", bearer(await k2.sign()), platformEnv)).status).toBe(200);
    expect(await fetches(set)).toBe(2);

    // A forged token with a known kid but the wrong key is still refused (signature), without a fetch.
    const impostor = await rsaKey("k1");
    expect((await app.request("/who", bearer(await impostor.sign()), platformEnv)).status).toBe(401);
    expect(await fetches(set)).toBe(2);
  });

  it("answers 503 with Retry-After when the JWKS fails, stalls past JWKS_TIMEOUT_MS, or is not a key set", async () => {
    const k1 = await rsaKey("k1");
    for (const [set, rule] of [
      ["down-1", { status: 500 }],
      ["stall-1", { delayMs: 3000 }],
      ["garbage-1", { invalid: true }],
    ] as const) {
      await jwksControl("/keys", { set, keys: [k1.jwk] });
      await jwksControl("/rules", { rules: [{ match: `/${set}/`, times: 1, ...rule }] });
      const res = await appFor(set).app.request("/who", bearer(await k1.sign()), platformEnv);
      expect(res.status, set).toBe(503);
      expect(res.headers.get("retry-after"), set).toBe("10");
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    await jwksControl("/rules", { rules: [] });
    await jwksControl("/keys", { set: "shape-1", keys: "nope" });
    expect((await appFor("shape-1").app.request("/who", bearer(await k1.sign()), platformEnv)).status).toBe(503);
  });

  it("serves the Supabase profile from SUPABASE_JWKS_URL (ES256 signing keys)", async () => {
    const set = "supabase-1";
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    await jwksControl("/keys", { set, keys: [{ ...(await exportJWK(publicKey)), kid: "sb1", alg: "ES256" }] });
    const app = whoApp(supabaseAuth());
    const env = withEnv({
      SUPABASE_JWKS_URL: `${platformEnv.JWKS_BASE_URL}/${set}/jwks.json`,
      SUPABASE_JWT_SECRET: "unused-when-jwks-is-set",
    });
    const uid = "0b8f2c9e-1d7a-4e3b-8c6f-5a4d3c2b1a09";
    const token = await new SignJWT({ sub: uid, aud: "authenticated", exp: now() + 60 })
      .setProtectedHeader({ alg: "ES256", kid: "sb1" })
      .sign(privateKey);
    const res = await app.request("/who", bearer(token), env);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: "jwt", subject: uid });
  });
});
