/**
 * jwtAuth with real keys made here: HS256 secrets (Supabase profile), an RS256 PEM key and an ES256 PEM key
 * (Clerk profile / generic), and what is refused with 401 + `WWW-Authenticate: Bearer … error="invalid_token"`.
 */
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { clerkAuth, jwtAuth, supabaseAuth } from "../../../src/http/jwt-auth";
import { bearer, whoApp, withEnv } from "./app";

const SECRET = "supabase-test-secret-0123456789abcdef0123";
const UID = "7b1c6a52-3f6e-4c1a-9a55-0d0f1c2b3a4d";
const now = () => Math.floor(Date.now() / 1000);
const enc = new TextEncoder();

function hs256(payload: JWTPayload, secret = SECRET, header: Record<string, unknown> = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", typ: "JWT", ...header }).sign(enc.encode(secret));
}

const supa = { SUPABASE_JWT_SECRET: SECRET };
const good = (extra: JWTPayload = {}): JWTPayload => ({
  sub: UID,
  aud: "authenticated",
  role: "authenticated",
  exp: now() + 600,
  iat: now(),
  ...extra,
});

async function expectInvalid(res: Response, detail: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
  const body = (await res.json()) as { detail: string; status: number };
  expect(body.status).toBe(401);
  expect(body.detail).toMatch(detail);
}

describe("supabaseAuth (HS256 project secret)", () => {
  const app = whoApp(supabaseAuth());

  it("accepts a valid token and sets the principal { kind: jwt, subject: sub, claims }", async () => {
    const res = await app.request("/who", bearer(await hs256(good({ email: "a@example.com" }))), withEnv(supa));
    expect(res.status).toBe(200);
    const p = (await res.json()) as { kind: string; subject: string; claims: Record<string, unknown> };
    expect(p.kind).toBe("jwt");
    expect(p.subject).toBe(UID);
    expect(p.claims.email).toBe("a@example.com");
    expect(p.claims.aud).toBe("authenticated");
  });

  it("401 without a bearer token, with a plain Bearer challenge (no error code, RFC 6750 §3.1)", async () => {
    const res = await app.request("/who", {}, withEnv(supa));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("refuses an expired token, but tolerates a few seconds of clock skew", async () => {
    await expectInvalid(await app.request("/who", bearer(await hs256(good({ exp: now() - 60 }))), withEnv(supa)), /expired/);
    const skewed = await app.request("/who", bearer(await hs256(good({ exp: now() - 2 }))), withEnv(supa));
    expect(skewed.status).toBe(200);
  });

  it("refuses a token whose nbf is in the future", async () => {
    await expectInvalid(await app.request("/who", bearer(await hs256(good({ nbf: now() + 120 }))), withEnv(supa)), /not valid yet/);
  });

  it("refuses a token signed with another secret", async () => {
    await expectInvalid(
      await app.request("/who", bearer(await hs256(good(), "another-secret-0123456789abcdef0123")), withEnv(supa)),
      /signature/,
    );
  });

  it("refuses a tampered payload", async () => {
    const [h, , s] = (await hs256(good())).split(".");
    const forged = btoa(JSON.stringify(good({ sub: "00000000-0000-4000-8000-000000000000" })))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    await expectInvalid(await app.request("/who", bearer(`${h}.${forged}.${s}`), withEnv(supa)), /signature/);
  });

  it("refuses the wrong audience, a sub that is not a uuid, and a token without exp", async () => {
    await expectInvalid(await app.request("/who", bearer(await hs256(good({ aud: "anon" }))), withEnv(supa)), /aud/);
    await expectInvalid(await app.request("/who", bearer(await hs256(good({ sub: "not-a-uuid" }))), withEnv(supa)), /sub/);
    const noExp = good();
    delete noExp.exp;
    await expectInvalid(await app.request("/who", bearer(await hs256(noExp)), withEnv(supa)), /exp/);
  });

  it("checks iss when SUPABASE_JWT_ISSUER is set", async () => {
    const env = withEnv({ ...supa, SUPABASE_JWT_ISSUER: "https://proj.supabase.co/auth/v1" });
    expect((await app.request("/who", bearer(await hs256(good({ iss: "https://proj.supabase.co/auth/v1" }))), env)).status).toBe(200);
    await expectInvalid(await app.request("/who", bearer(await hs256(good({ iss: "https://evil.example/auth/v1" }))), env), /iss/);
  });

  it("refuses alg none, and garbage that is not a JWT", async () => {
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    await expectInvalid(
      await app.request("/who", bearer(`${b64({ alg: "none", typ: "JWT" })}.${b64(good())}.`), withEnv(supa)),
      /algorithm|not a valid/,
    );
    await expectInvalid(await app.request("/who", bearer("mk_abc_def"), withEnv(supa)), /not a valid JWT/);
    await expectInvalid(await app.request("/who", bearer("a.b.c"), withEnv(supa)), /not a valid JWT/);
  });

  it("answers 503 (not 500) when the profile is not configured", async () => {
    const res = await app.request(
      "/who",
      bearer(await hs256(good())),
      withEnv({ SUPABASE_JWT_SECRET: undefined, SUPABASE_JWKS_URL: undefined }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("60");
  });
});

describe("clerkAuth (RS256 PEM in CLERK_JWT_KEY) and azp", () => {
  let pem: string;
  let rsa: CryptoKey;
  let otherRsa: CryptoKey;
  const app = whoApp(clerkAuth());
  const clerk = (extra: JWTPayload = {}, key?: CryptoKey, alg = "RS256") =>
    new SignJWT({ sub: "user_2abcDEF", azp: "https://app.example.com", sid: "sess_1", exp: now() + 600, iat: now(), ...extra })
      .setProtectedHeader({ alg, kid: "ins_1" })
      .sign(key ?? rsa);

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    rsa = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
    otherRsa = (await generateKeyPair("RS256")).privateKey;
  });
  const env = () => withEnv({ CLERK_JWT_KEY: pem, CLERK_AUTHORIZED_PARTIES: "https://app.example.com, https://admin.example.com" });

  it("accepts a token from an authorized party, and one without azp (Clerk's rule)", async () => {
    const res = await app.request("/who", bearer(await clerk()), env());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: "jwt", subject: "user_2abcDEF", claims: { sid: "sess_1" } });
    expect((await app.request("/who", bearer(await clerk({ azp: undefined })), env())).status).toBe(200);
  });

  it("refuses an azp that is not in CLERK_AUTHORIZED_PARTIES", async () => {
    await expectInvalid(await app.request("/who", bearer(await clerk({ azp: "https://evil.example" })), env()), /azp/);
  });

  it("accepts the PEM with escaped newlines (as a one-line secret)", async () => {
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    expect((await app.request("/who", bearer(await clerk()), withEnv({ CLERK_JWT_KEY: oneLine }))).status).toBe(200);
  });

  it("refuses a token signed by another key, an HS256 token made with the PEM text as secret, and an expired one", async () => {
    await expectInvalid(await app.request("/who", bearer(await clerk({}, otherRsa)), env()), /signature/);
    const confused = await new SignJWT({ sub: "user_x", exp: now() + 60 }).setProtectedHeader({ alg: "HS256" }).sign(enc.encode(pem));
    await expectInvalid(await app.request("/who", bearer(confused), env()), /algorithm/);
    await expectInvalid(await app.request("/who", bearer(await clerk({ exp: now() - 100 })), env()), /expired/);
  });

  it("checks iss when CLERK_ISSUER is set", async () => {
    const withIss = withEnv({ CLERK_JWT_KEY: pem, CLERK_ISSUER: "https://clerk.example.com" });
    expect((await app.request("/who", bearer(await clerk({ iss: "https://clerk.example.com" })), withIss)).status).toBe(200);
    await expectInvalid(await app.request("/who", bearer(await clerk({ iss: "https://other.example.com" })), withIss), /iss/);
  });
});

describe("jwtAuth with an ES256 PEM key", () => {
  it("verifies ES256 and refuses RS256 for that key", async () => {
    const es = await generateKeyPair("ES256", { extractable: true });
    const app = whoApp(jwtAuth({ key: { publicKeyPem: await exportSPKI(es.publicKey), alg: "ES256" }, audience: "api" }));
    const ok = await new SignJWT({ sub: "u1", aud: "api", exp: now() + 60 }).setProtectedHeader({ alg: "ES256" }).sign(es.privateKey);
    expect((await app.request("/who", bearer(ok), withEnv({}))).status).toBe(200);
    const rs = (await generateKeyPair("RS256")).privateKey;
    const wrong = await new SignJWT({ sub: "u1", aud: "api", exp: now() + 60 }).setProtectedHeader({ alg: "RS256" }).sign(rs);
    await expectInvalid(await app.request("/who", bearer(wrong), withEnv({})), /algorithm/);
  });
});
