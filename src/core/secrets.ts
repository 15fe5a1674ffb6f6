/**
 * Secrets handled with WebCrypto: API keys whose stored form cannot be used to log in,
 * and comparisons that take the same time whether or not they match.
 */
const encoder = new TextEncoder();

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  // base64url without padding: safe in headers and URLs
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Lower-case letters and digits only, so it never contains the key's separator. */
export function randomId(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const raw = crypto.getRandomValues(new Uint8Array(length));
  return [...raw].map((b) => alphabet[b % alphabet.length]).join("");
}

/** SHA-256 (hex) of an optional salt and the secret. Secrets are random and long, so a fast hash suffices. */
export async function digest(secret: string, salt = ""): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(`${salt}${secret}`)));
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  // Compare equal-length buffers so the length check itself leaks nothing useful.
  const len = Math.max(ab.length, bb.length);
  const pa = new Uint8Array(len);
  const pb = new Uint8Array(len);
  pa.set(ab);
  pb.set(bb);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: ArrayBufferView, y: ArrayBufferView) => boolean };
  const same = subtle.timingSafeEqual ? subtle.timingSafeEqual(pa, pb) : pa.reduce((acc, v, i) => acc | (v ^ pb[i]!), 0) === 0;
  return same && ab.length === bb.length;
}

export interface IssuedApiKey {
  /** the whole key, shown to its owner once: `<prefix>_<lookup>_<secret>` */
  key: string;
  /** public lookup part stored in clear and indexed: `<prefix>_<lookup>` */
  lookup: string;
  /** digest of the secret part (with salt, when one is given) */
  hash: string;
  salt: string;
}

export async function issueApiKey(prefix: string, opts: { salted?: boolean } = {}): Promise<IssuedApiKey> {
  if (prefix.includes("_")) throw new Error("an API key prefix cannot contain '_'");
  const lookup = `${prefix}_${randomId(12)}`;
  const secret = randomToken(24);
  const salt = opts.salted ? randomToken(12) : "";
  return { key: `${lookup}_${secret}`, lookup, hash: await digest(secret, salt), salt };
}

/** Splits `<prefix>_<lookup>_<secret>`; null when the token is not shaped like one of our keys. */
export function parseApiKey(prefix: string, token: string): { lookup: string; secret: string } | null {
  if (!token.startsWith(`${prefix}_`)) return null;
  const rest = token.slice(prefix.length + 1);
  const cut = rest.indexOf("_");
  if (cut <= 0 || cut === rest.length - 1) return null;
  return { lookup: `${prefix}_${rest.slice(0, cut)}`, secret: rest.slice(cut + 1) };
}

export async function verifyApiKeySecret(secret: string, storedHash: string, salt = ""): Promise<boolean> {
  return constantTimeEqual(await digest(secret, salt), storedHash);
}
