/**
 * Dev tokens for the chat module (`npm run token -- chat <userId>`): a Supabase-style access token signed
 * with the dev stack's SUPABASE_JWT_SECRET (HS256, audience "authenticated", one hour).
 */
import { SignJWT } from "jose";

export interface DevTokenOptions {
  subject: string;
  env: Record<string, string | undefined>;
  admin?: boolean;
  email?: string;
  ttlSeconds?: number;
}

export async function devToken(opts: DevTokenOptions): Promise<string> {
  const secret = opts.env.SUPABASE_JWT_SECRET;
  if (!secret) throw new Error("SUPABASE_JWT_SECRET is not set (npm run dev writes it to .dev.vars)");
  return new SignJWT({
    email: opts.email ?? `${opts.subject.slice(0, 8)}@dev.example`,
    role: "authenticated",
    app_metadata: opts.admin ? { role: "admin" } : {},
    user_metadata: { name: "Dev user" },
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(opts.subject)
    .setAudience("authenticated")
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds ?? 3600}s`)
    .sign(new TextEncoder().encode(secret));
}
