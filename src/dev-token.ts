/**
 * The hook behind `npm run token -- <module> <subject> [--admin]` (test/local/token.ts): each module may ship
 * `functions/<m>/dev-token.ts` exporting `devToken(ctx)`, which returns a bearer token the running `npm run dev`
 * accepts for that module. Local development only; never imported by the Worker.
 */
export interface DevTokenContext {
  /** who the token is for: a user id or an email, as the module reads it */
  subject: string;
  /** make that user an administrator of the module (its own admin notion) */
  admin: boolean;
  /** the values in .dev.vars (secrets npm run dev generated) */
  vars: Record<string, string>;
  /** runs SQL on the dev database directly */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** a key file npm run dev wrote to .local/dev-keys/ (e.g. "clerk-private.pem") */
  devKey(name: string): string;
}

export type DevTokenMaker = (ctx: DevTokenContext) => Promise<string>;

/** A stable uuid for a subject that is not one (Supabase `sub` must be a uuid). */
export async function uuidFor(subject: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subject)) return subject.toLowerCase();
  const h = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(subject)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
