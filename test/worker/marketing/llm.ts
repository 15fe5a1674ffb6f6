/** The marketing suites' fake chat-completions API (started by setup.ts) and calls with a replaced binding. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../../src/app";
import type { MarketingEnv } from "../../../functions/marketing/config";
import { testEnv } from "../helpers";
import { BASE } from "./helpers";

const controlUrl = () => (testEnv as unknown as { MARKETING_CHAT_CONTROL_URL: string }).MARKETING_CHAT_CONTROL_URL;

async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${controlUrl()}${path}`, body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

export interface ChatRule {
  match?: string;
  status?: number;
  delayMs?: number;
  invalid?: boolean;
  times?: number;
  content?: string;
}
export interface ChatCall {
  model: string;
  max_tokens: number;
  authorization: string;
  messages: { role: string; content: string }[];
}

export const chatApi = {
  rules: (rules: ChatRule[]) => control("/rules", { rules }),
  calls: () => control<{ count: number; calls: ChatCall[] }>("/calls"),
  reset: () => control("/reset", {}),
};

/** A request to the marketing API with some bindings replaced (e.g. JOBS), waiting for its waitUntil work. */
export async function callWith(
  vars: Partial<MarketingEnv>,
  method: string,
  path: string,
  opts: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<Response> {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { ...opts.headers, Authorization: `Bearer ${opts.token}` };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const req = new Request(`http://api.test${BASE}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const res = await createApp().fetch(req, { ...testEnv, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A JOBS binding that keeps what is sent. */
export function capturingQueue() {
  const sent: any[] = [];
  return {
    sent,
    binding: {
      send: async (m: unknown) => {
        sent.push(m);
      },
    } as unknown as Queue,
  };
}
