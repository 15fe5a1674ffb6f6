/**
 * How the suites of issue 15 call the Worker: the app itself with LOG_LEVEL=debug (so every log line a request
 * can write is written, and captured by logs.ts), an execution context whose background work is awaited, a fresh
 * client IP per request (the suites send many refused credentials on purpose; the per-IP failure limit is
 * exercised in test/worker/platform/auth-limits.test.ts), and optional binding overrides for fault cases.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../../src/app";
import { testEnv } from "../helpers";
import { registerSecret } from "./logs";

const app = createApp();

export interface SendOptions {
  headers?: Record<string, string>;
  /** a JSON body (serialised here) or a raw string */
  body?: unknown;
  /** bindings changed for this request only (e.g. a dead database URL) */
  env?: Record<string, unknown>;
}

export interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;

export async function send(method: string, path: string, opts: SendOptions = {}): Promise<Sent> {
  const headers: Record<string, string> = { "CF-Connecting-IP": randomIp(), ...opts.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (/^authorization$|signature/i.test(name)) registerSecret(value.replace(/^Bearer\s+/i, ""));
  }
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://api.test${path}`, { method, headers, body }),
    { ...testEnv, LOG_LEVEL: "debug", ...opts.env },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const bearerHeaders = (token: string) => ({ Authorization: `Bearer ${token}` });
