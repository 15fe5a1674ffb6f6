/**
 * Svix-signed webhooks (Clerk and others): `svix-id`, `svix-timestamp`, `svix-signature: v1,<base64> …`, checked
 * by the svix package's Webhook.verify (Standard Webhooks scheme, 5-minute tolerance; it runs on workerd: pure JS
 * HMAC over `<id>.<timestamp>.<body>`). Several secrets may be given during a rotation on our side.
 * Returns the parsed body; the event id for replay protection is the `svix-id` header (svixEventId()).
 */
import { Webhook } from "svix";
import { invalidSignature, parseSignedJson } from "./common";

export function svixEventId(headers: Headers): string | null {
  return headers.get("svix-id") ?? headers.get("webhook-id");
}

export async function verifySvix(rawBody: string, headers: Headers, secret: string | string[]): Promise<unknown> {
  const secrets = (Array.isArray(secret) ? secret : [secret]).filter(Boolean);
  if (!secrets.length) throw new Error("verifySvix: no signing secret configured");
  const plain: Record<string, string> = {};
  for (const name of ["svix-id", "svix-timestamp", "svix-signature", "webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const v = headers.get(name);
    if (v !== null) plain[name] = v;
  }
  if (!svixEventId(headers)) throw invalidSignature("The svix-id header is missing.");
  let lastError: unknown;
  for (const s of secrets) {
    try {
      new Webhook(s).verify(rawBody, plain);
      return parseSignedJson(rawBody);
    } catch (err) {
      lastError = err;
    }
  }
  const why = lastError instanceof Error ? lastError.message : "verification failed";
  throw invalidSignature(`The svix signature does not hold (${why.replace(/[^\w .,:-]/g, "").slice(0, 80)}).`);
}
