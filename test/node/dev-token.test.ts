/**
 * `npm run token`: each module's dev token maker produces a credential that module's auth accepts — JWTs checked
 * with jose under the profile's rules, API keys and Auth.js sessions against the rows written.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createHash } from "node:crypto";
import { importSPKI, jwtVerify } from "jose";
import { createDatabase } from "../local/databases.js";
import { devIdentityVars, writeDevStack } from "../local/dev-vars.js";
import { migrateDatabase } from "../local/migrate.js";
import { makeDevToken } from "../local/token.js";

let dir: string;
let url: string;
let vars: Record<string, string>;

async function query<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

// The Worker's profiles (src/http/jwt-auth.ts) are Worker code; here the same checks are made with jose directly:
// Supabase = HS256 with SUPABASE_JWT_SECRET, aud "authenticated"; Clerk = RS256 with CLERK_JWT_KEY, azp allowed.
const supabase = async (token: string) =>
  (await jwtVerify(token, new TextEncoder().encode(vars.SUPABASE_JWT_SECRET), { algorithms: ["HS256"], audience: "authenticated" }))
    .payload;
const clerk = async (token: string) =>
  (await jwtVerify(token, await importSPKI(vars.CLERK_JWT_KEY!.replace(/\\n/g, "\n"), "RS256"), { algorithms: ["RS256"] })).payload;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  url = await createDatabase(inject("pgAdminUrl"), "dev_token", { recreate: true });
  await migrateDatabase(url, () => {});
  dir = mkdtempSync(path.join(tmpdir(), "dev-token-"));
  vars = devIdentityVars({}, dir);
  writeFileSync(
    path.join(dir, ".dev.vars"),
    Object.entries(vars)
      .map(([k, v]) => `${k}="${v}"`)
      .join("\n"),
  );
  writeDevStack({ directUrl: url, api: "http://127.0.0.1:8787" }, dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run token", () => {
  it("chat: a Supabase JWT the supabase profile accepts, sub a stable uuid for the subject", async () => {
    const token = await makeDevToken("chat", "kim@example.com", false, { cwd: dir });
    const p = await supabase(token);
    expect(p.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.exp! - p.iat!).toBe(12 * 3600);
    const again = await supabase(await makeDevToken("chat", "kim@example.com", false, { cwd: dir }));
    expect(again.sub).toBe(p.sub);
  });

  it("influencer: a Clerk RS256 JWT the clerk profile accepts (azp allowed); --admin sets is_admin", async () => {
    const token = await makeDevToken("influencer", "user_dev1", true, { cwd: dir });
    expect(await clerk(token)).toMatchObject({ sub: "user_dev1", azp: vars.CLERK_AUTHORIZED_PARTIES });
    expect(vars.CLERK_AUTHORIZED_PARTIES).toBe("http://localhost:3000");
    expect(await query(`SELECT is_admin FROM influencer.user_profiles WHERE user_id = 'user_dev1'`)).toEqual([{ is_admin: true }]);
  });

  it("marketing: an API key whose digest is the user's stored hash; a second call replaces it", async () => {
    const key = await makeDevToken("marketing", "dev@example.com", false, { cwd: dir });
    const m = /^(mk_[a-z0-9]{12})_(.+)$/.exec(key)!;
    const [row] = await query<{ api_key: string; api_key_hash: string }>(
      `SELECT api_key, api_key_hash FROM marketing.users WHERE email = 'dev@example.com'`,
    );
    expect(row!.api_key).toBe(m[1]);
    expect(row!.api_key_hash).toBe(sha256(m[2]!));
    await makeDevToken("marketing", "dev@example.com", false, { cwd: dir });
    expect(await query(`SELECT count(*)::int AS n FROM marketing.users WHERE email = 'dev@example.com'`)).toEqual([{ n: 1 }]);
  });

  it("scheduler: an Auth.js session row for the user, valid for 30 days", async () => {
    const token = await makeDevToken("scheduler", "sched-user", false, { cwd: dir });
    const rows = await query<{ userId: string; days: number }>(
      `SELECT "userId", round(extract(epoch FROM expires - now()) / 86400)::int AS days FROM scheduler."session" WHERE "sessionToken" = $1`,
      [token],
    );
    expect(rows).toEqual([{ userId: "sched-user", days: 30 }]);
  });

  it("refuses a module without a maker, and --admin where the module uses the ADMIN_TOKEN", async () => {
    await expect(makeDevToken("blog", "x", false, { cwd: dir })).rejects.toThrow(/no dev token maker/);
    await expect(makeDevToken("marketing", "x@example.com", true, { cwd: dir })).rejects.toThrow(/ADMIN_TOKEN/);
  });
});
