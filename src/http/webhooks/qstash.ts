/**
 * Upstash QStash callbacks: `Upstash-Signature` is a JWT (HS256, iss "Upstash") signed with the current or the
 * next signing key; its `sub` is the URL QStash called and its `body` claim the base64url SHA-256 of the body.
 * Checked by @upstash/qstash's Receiver (jose inside; runs on workerd). The message id for replay protection is
 * the `Upstash-Message-Id` header.
 */
import { Receiver } from "@upstash/qstash";
import { invalidSignature } from "./common";

export async function verifyQstash(
  rawBody: string,
  signature: string | null,
  opts: { currentKey: string; nextKey: string; url: string; clockToleranceSec?: number },
): Promise<void> {
  if (!opts.currentKey || !opts.nextKey) throw new Error("verifyQstash: signing keys are not configured");
  if (!signature) throw invalidSignature("The Upstash-Signature header is missing.");
  const receiver = new Receiver({ currentSigningKey: opts.currentKey, nextSigningKey: opts.nextKey });
  try {
    await receiver.verify({ signature, body: rawBody, url: opts.url, clockTolerance: opts.clockToleranceSec ?? 5 });
  } catch {
    throw invalidSignature("The Upstash-Signature does not hold for this body and URL.");
  }
}
