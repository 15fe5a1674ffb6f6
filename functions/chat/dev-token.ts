/** `npm run token -- chat <email|uuid>`: a Supabase-style HS256 JWT (SUPABASE_JWT_SECRET), sub = a uuid for the subject. */
import { SignJWT } from "jose";
import { type DevTokenMaker, uuidFor } from "../../src/dev-token";

export const devToken: DevTokenMaker = async ({ subject, admin, vars }) => {
  const secret = vars.SUPABASE_JWT_SECRET;
  if (!secret) throw new Error("SUPABASE_JWT_SECRET is not in .dev.vars (start npm run dev once)");
  const sub = await uuidFor(subject);
  return new SignJWT({ role: "authenticated", ...(subject.includes("@") ? { email: subject } : {}), ...(admin ? { app_metadata: { role: "admin" } } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub).setAudience("authenticated").setIssuedAt().setExpirationTime("12h")
    .sign(new TextEncoder().encode(secret));
};
