/** .dev.vars (read by wrangler dev) and the files npm run dev keeps in .local/ for `npm run token`. */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEV_KEYS_DIR = path.join(".local", "dev-keys");
export const DEV_STACK_FILE = path.join(".local", "dev-stack.json");

export function readDevVars(file = ".dev.vars"): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/);
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
  }
  return out;
}

/**
 * Local identity secrets, generated once and kept: an HS256 secret for the Supabase profile, an RS256 key pair for
 * the Clerk profile (private half in .local/dev-keys/clerk-private.pem, public half in CLERK_JWT_KEY).
 */
export function devIdentityVars(previous: Record<string, string>, base = "."): Record<string, string> {
  mkdirSync(path.join(base, DEV_KEYS_DIR), { recursive: true });
  const privateFile = path.join(base, DEV_KEYS_DIR, "clerk-private.pem");
  let clerkKey = previous.CLERK_JWT_KEY;
  if (!clerkKey || !existsSync(privateFile)) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    writeFileSync(privateFile, privateKey, { mode: 0o600 });
    clerkKey = publicKey.trim().replace(/\n/g, "\\n");
  }
  return {
    SUPABASE_JWT_SECRET: previous.SUPABASE_JWT_SECRET ?? randomBytes(32).toString("hex"),
    CLERK_JWT_KEY: clerkKey,
    CLERK_AUTHORIZED_PARTIES: previous.CLERK_AUTHORIZED_PARTIES ?? "http://localhost:3000",
  };
}

export function writeDevStack(info: { directUrl: string; api: string }, base = "."): void {
  mkdirSync(path.join(base, path.dirname(DEV_STACK_FILE)), { recursive: true });
  writeFileSync(path.join(base, DEV_STACK_FILE), `${JSON.stringify(info, null, 2)}\n`);
}
