/** What the signed-callback verifiers share: one problem for a signature that does not hold, and hex HMAC-SHA256. */
import { HttpProblem } from "../../core/problem";

export const INVALID_SIGNATURE_TYPE = "/problems/invalid-signature";

/** 400: the sender retries, and a forged or stale callback changes nothing. */
export function invalidSignature(detail: string): HttpProblem {
  return new HttpProblem({ status: 400, type: INVALID_SIGNATURE_TYPE, title: "Invalid Signature", detail });
}

const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The body as JSON after its signature held; a signed body that is not JSON is still a bad request. */
export function parseSignedJson<T>(rawBody: string): T {
  try {
    return JSON.parse(rawBody) as T;
  } catch {
    throw new HttpProblem({ status: 400, type: "/problems/malformed-request", detail: "The signed body is not JSON." });
  }
}
