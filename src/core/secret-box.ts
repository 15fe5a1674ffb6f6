/**
 * Secrets at rest: AES-256-GCM with WebCrypto. The key is 32 random bytes, base64, from an env secret.
 * A sealed value is `v1.<iv>.<ciphertext+tag>` (base64url); `aad` binds it to its row (e.g. the row id),
 * so a ciphertext copied to another row does not open.
 */
const enc = new TextEncoder();
const dec = new TextDecoder();

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
function fromB64(s: string): Uint8Array {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** Imports the key once per isolate; throws when it is not 32 bytes of base64. */
export function secretKey(base64: string): Promise<CryptoKey> {
  let key = keys.get(base64);
  if (!key) {
    const raw = fromB64(base64.trim());
    if (raw.length !== 32) throw new Error("the secret key must be 32 bytes (base64)");
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(base64, key);
  }
  return key;
}

export async function seal(key: CryptoKey, plain: string, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(aad) }, key, enc.encode(plain));
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(ct))}`;
}

/** Opens a sealed value; throws when it was not sealed with this key and aad. */
export async function open(key: CryptoKey, sealed: string, aad: string): Promise<string> {
  const [v, iv, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !ct) throw new Error("not a sealed value");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromB64(iv), additionalData: enc.encode(aad) }, key, fromB64(ct));
  return dec.decode(plain);
}
