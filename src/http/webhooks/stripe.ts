/**
 * Stripe webhooks: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `<t>.<raw body>` with the
 * endpoint secret (whsec_…), within a tolerance window (default 300 s). During a secret rotation Stripe sends one
 * v1 per active secret, and the receiver may hold several secrets: any pair that matches is enough.
 * WebCrypto only (no stripe package). Pass the raw body text, read once before any JSON parsing.
 */
import { constantTimeEqual } from "../../core/secrets";
import { hmacSha256Hex, invalidSignature, parseSignedJson } from "./common";

export interface StripeEvent {
  id: string;
  type: string;
  created?: number;
  livemode?: boolean;
  data: { object: Record<string, unknown> & { id?: string }; previous_attributes?: Record<string, unknown> };
  [field: string]: unknown;
}

export const STRIPE_DEFAULT_TOLERANCE_SEC = 300;

export function parseStripeSignature(header: string): { t: number; v1: string[] } | null {
  let t = Number.NaN;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const cut = part.indexOf("=");
    if (cut < 0) continue;
    const k = part.slice(0, cut).trim();
    const v = part.slice(cut + 1).trim();
    if (k === "t") t = /^\d{1,12}$/.test(v) ? Number(v) : Number.NaN;
    else if (k === "v1" && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  return Number.isFinite(t) && v1.length ? { t, v1 } : null;
}

export async function verifyStripe(
  rawBody: string,
  header: string | null,
  secrets: string[],
  opts: { toleranceSec?: number; now?: number } = {},
): Promise<StripeEvent> {
  if (!secrets.filter(Boolean).length) throw new Error("verifyStripe: no signing secret configured");
  if (!header) throw invalidSignature("The Stripe-Signature header is missing.");
  const sig = parseStripeSignature(header);
  if (!sig) throw invalidSignature("The Stripe-Signature header is malformed.");
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - sig.t) > (opts.toleranceSec ?? STRIPE_DEFAULT_TOLERANCE_SEC)) {
    throw invalidSignature("The Stripe-Signature timestamp is outside the tolerance window.");
  }
  const signed = `${sig.t}.${rawBody}`;
  let match = false;
  for (const secret of secrets.filter(Boolean)) {
    const expected = await hmacSha256Hex(secret, signed);
    for (const candidate of sig.v1) match = constantTimeEqual(candidate, expected) || match;
  }
  if (!match) throw invalidSignature("No Stripe-Signature v1 signature matches.");
  const event = parseSignedJson<StripeEvent>(rawBody);
  if (typeof event?.id !== "string" || typeof event.type !== "string") throw invalidSignature("The Stripe event has no id or type.");
  return event;
}
