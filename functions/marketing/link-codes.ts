/**
 * Proof of a channel identity: the bot (admin credential), talking to the identity's holder in that channel,
 * asks for a one-time code and shows it only there; the user redeems it with their API key. Codes live in
 * Redis under the SHA-256 of the code (never the code itself) for LINK_CODE_TTL_SECONDS, and are taken with
 * GETDEL, so each is redeemed at most once. No Redis → 503: a link cannot be proven without it.
 */
import type { AppEnv } from "../../src/env";
import { createRedis } from "../../src/cache/client";
import { errorFields, type Logger } from "../../src/core/logger";
import { unavailable } from "../../src/core/problem";
import type { Channel } from "./schema";

export const LINK_CODE_TTL_SECONDS = 10 * 60;
/** 10 characters of a 31-letter alphabet without look-alikes (about 49 bits), redeemable once, for 10 minutes; POST /me/channels is rate-limited per user. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 10;
export const LINK_CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

export interface ChannelIdentity {
  channel: Channel;
  channelUserId: string;
  channelUsername?: string;
}

async function keyOf(code: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)));
  return `marketing:link-code:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function newCode(): string {
  // ALPHABET has 31 letters and 248 = 31 × 8: bytes ≥ 248 are rejected so every letter is equally likely.
  const out: string[] = [];
  while (out.length < CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(CODE_LENGTH * 2))) {
      if (b < 248 && out.length < CODE_LENGTH) out.push(ALPHABET[b % ALPHABET.length]!);
    }
  }
  return out.join("");
}

function redisOf(env: AppEnv) {
  const redis = createRedis(env, 2000);
  if (!redis) throw unavailable("Channel links need Redis, which is not configured.", 60);
  return redis;
}

const outage = (logger: Logger, err: unknown) => {
  logger.error("link-code store unavailable", errorFields(err));
  return unavailable("The link-code store is unavailable. Retry shortly.", 5);
};

export async function issueLinkCode(env: AppEnv, identity: ChannelIdentity, logger: Logger) {
  const redis = redisOf(env);
  const code = newCode();
  try {
    await redis.set(await keyOf(code), identity, { ex: LINK_CODE_TTL_SECONDS });
  } catch (err) {
    throw outage(logger, err);
  }
  return { code, expiresAt: new Date(Date.now() + LINK_CODE_TTL_SECONDS * 1000).toISOString() };
}

/** The identity the code proves, taken once; null when it is unknown, used or expired. */
export async function redeemLinkCode(env: AppEnv, code: string, logger: Logger): Promise<ChannelIdentity | null> {
  const redis = redisOf(env);
  try {
    return await redis.getdel<ChannelIdentity>(await keyOf(code));
  } catch (err) {
    throw outage(logger, err);
  }
}
