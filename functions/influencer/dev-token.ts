/**
 * `npm run token -- influencer <clerk user id> [--admin]`: a Clerk-style RS256 session JWT signed with the dev key
 * pair (public half in CLERK_JWT_KEY); --admin sets user_profiles.is_admin for that user.
 */
import { importPKCS8, SignJWT } from "jose";
import type { DevTokenMaker } from "../../src/dev-token";

export const devToken: DevTokenMaker = async ({ subject, admin, vars, sql, devKey }) => {
  const key = await importPKCS8(devKey("clerk-private.pem"), "RS256");
  if (admin) {
    await sql(
      `INSERT INTO influencer.user_profiles (user_id, is_admin) VALUES ($1, true)
       ON CONFLICT (user_id) DO UPDATE SET is_admin = true, updated_at = now()`,
      [subject],
    );
  }
  const azp = (vars.CLERK_AUTHORIZED_PARTIES ?? "").split(",")[0]?.trim();
  return new SignJWT({ sid: `sess_dev_${crypto.randomUUID().slice(0, 8)}`, ...(azp ? { azp } : {}) })
    .setProtectedHeader({ alg: "RS256", kid: "dev", typ: "JWT" })
    .setSubject(subject)
    .setIssuedAt()
    .setNotBefore("0s")
    .setExpirationTime("12h")
    .setIssuer(vars.CLERK_ISSUER || "https://clerk.dev.local")
    .sign(key);
};
