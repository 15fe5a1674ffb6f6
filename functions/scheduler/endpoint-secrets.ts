/**
 * Endpoint secrets (bearer token, secret headers) are write-only: sealed with AES-GCM under
 * SCHEDULER_SECRET_KEY, bound to the endpoint id, and opened only by the runner.
 */
import { unavailable } from "../../src/core/problem";
import type { AppEnv } from "../../src/env";
import { open, seal, secretKey } from "../../src/core/secret-box";
import { schedulerConfig } from "./config";

async function key(env: AppEnv): Promise<CryptoKey> {
  const raw = schedulerConfig(env).secretKey;
  if (!raw) throw unavailable("Endpoint secrets cannot be stored: SCHEDULER_SECRET_KEY is not configured.", 60);
  try {
    return await secretKey(raw);
  } catch {
    throw unavailable("Endpoint secrets cannot be stored: SCHEDULER_SECRET_KEY is not 32 bytes of base64.", 60);
  }
}

export interface SecretInput {
  bearerToken?: string | null;
  secretHeaders?: Record<string, string> | null;
}

/** Column values for the secrets given (undefined: leave as is; null: clear). */
export async function sealSecrets(env: AppEnv, endpointId: string, input: SecretInput) {
  const out: { bearerToken?: string | null; secretHeaders?: string | null; secretHeaderNames?: string[] | null } = {};
  if (input.bearerToken === null) out.bearerToken = null;
  if (input.secretHeaders === null) {
    out.secretHeaders = null;
    out.secretHeaderNames = null;
  }
  if (typeof input.bearerToken === "string" || (input.secretHeaders && typeof input.secretHeaders === "object")) {
    const k = await key(env);
    if (typeof input.bearerToken === "string") out.bearerToken = await seal(k, input.bearerToken, `endpoint:${endpointId}:bearer`);
    if (input.secretHeaders) {
      out.secretHeaders = await seal(k, JSON.stringify(input.secretHeaders), `endpoint:${endpointId}:headers`);
      out.secretHeaderNames = Object.keys(input.secretHeaders).sort();
    }
  }
  return out;
}

/** The headers a run sends: plain headers, then the opened secret headers, then the bearer token. */
export async function requestHeaders(
  env: AppEnv,
  e: { id: string; headers: Record<string, string> | null; bearerToken: string | null; secretHeaders: string | null },
) {
  const headers: Record<string, string> = { ...(e.headers ?? {}) };
  if (e.secretHeaders || e.bearerToken) {
    const k = await key(env);
    if (e.secretHeaders) Object.assign(headers, JSON.parse(await open(k, e.secretHeaders, `endpoint:${e.id}:headers`)));
    if (e.bearerToken) headers.Authorization = `Bearer ${await open(k, e.bearerToken, `endpoint:${e.id}:bearer`)}`;
  }
  return headers;
}
