/**
 * Upstash QStash callbacks: `Upstash-Signature` is a JWT (HS256, iss "Upstash") signed with the current or the
 * next signing key; its `sub` is the URL QStash called and its `body` claim the base64url SHA-256 of the body.
 * Checked here with jose, as @upstash/qstash's Receiver does (the SDK, with its own copy of jose and its local-dev
 * server code, was ~56 KiB of the minified bundle: issue 16). The message id for replay protection is the
 * `Upstash-Message-Id` header.
 */
import { jwtVerify } from "jose";
import { invalidSignature } from "./common";

const unpadded = (s: string) => s.replace(/=+$/, "");

async function bodyHash(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}

async function holds(key: string, signature: string, body: string, url: string, clockToleranceSec: number): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(signature, new TextEncoder().encode(key), {
      algorithms: ["HS256"],
      issuer: "Upstash",
      subject: url,
      clockTolerance: clockToleranceSec,
    });
    return typeof payload.body === "string" && unpadded(payload.body) === unpadded(await bodyHash(body));
  } catch {
    return false;
  }
}

export async function verifyQstash(
  rawBody: string,
  signature: string | null,
  opts: { currentKey: string; nextKey: string; url: string; clockToleranceSec?: number },
): Promise<void> {
  if (!opts.currentKey || !opts.nextKey) throw new Error("verifyQstash: signing keys are not configured");
  if (!signature) throw invalidSignature("The Upstash-Signature header is missing.");
  const tolerance = opts.clockToleranceSec ?? 5;
  if (await holds(opts.currentKey, signature, rawBody, opts.url, tolerance)) return;
  if (await holds(opts.nextKey, signature, rawBody, opts.url, tolerance)) return;
  throw invalidSignature("The Upstash-Signature does not hold for this body and URL.");
}
