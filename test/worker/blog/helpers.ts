/** Helpers of the blog suites: the fake dress and chat-completions APIs, agent configs, Redis, polling. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../../src/app";
import type { BlogEnv } from "../../../functions/blog/config";
import type { StorePage } from "../../local/fakes/store-pages.js";
import { sql, testEnv, uniq } from "../helpers";

export const blogEnv = testEnv as typeof testEnv & {
  DRESS_API_CONTROL_URL: string;
  CHAT_API_CONTROL_URL: string;
  STORE_PAGES_URL: string;
  STORE_PAGES_CONTROL_URL: string;
};

async function controlCall<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(
    `${base}${path}`,
    body === undefined && !path.startsWith("/reset") ? undefined : { method: "POST", body: JSON.stringify(body ?? {}) },
  );
  if (!res.ok) throw new Error(`fake control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

export interface FakeRule {
  match?: string;
  status?: number;
  delayMs?: number;
  invalid?: boolean;
  times?: number;
  content?: string;
  json?: unknown;
}
export interface Calls {
  count: number;
  calls: any[];
}

export const dressApi = {
  add: (items: Record<string, unknown>[]) => controlCall(blogEnv.DRESS_API_CONTROL_URL, "/dresses", { items }),
  remove: (ids: string[]) => controlCall(blogEnv.DRESS_API_CONTROL_URL, "/remove", { ids }),
  rules: (rules: FakeRule[]) => controlCall(blogEnv.DRESS_API_CONTROL_URL, "/rules", { rules }),
  calls: (match = "") => controlCall<Calls>(blogEnv.DRESS_API_CONTROL_URL, `/calls?match=${encodeURIComponent(match)}`),
  reset: () => controlCall(blogEnv.DRESS_API_CONTROL_URL, "/reset", {}),
};

export const chatApi = {
  rules: (rules: FakeRule[]) => controlCall(blogEnv.CHAT_API_CONTROL_URL, "/rules", { rules }),
  calls: () => controlCall<Calls>(blogEnv.CHAT_API_CONTROL_URL, "/calls"),
  reset: () => controlCall(blogEnv.CHAT_API_CONTROL_URL, "/reset", {}),
};

/** The fake web store: pages by path; a path nobody put answers a default home page. */
export const storePages = {
  put: (pages: Record<string, StorePage>) => controlCall(blogEnv.STORE_PAGES_CONTROL_URL, "/pages", { pages }),
  rules: (rules: FakeRule[]) => controlCall(blogEnv.STORE_PAGES_CONTROL_URL, "/rules", { rules }),
  calls: (match = "") => controlCall<Calls>(blogEnv.STORE_PAGES_CONTROL_URL, `/calls?match=${encodeURIComponent(match)}`),
  reset: () => controlCall(blogEnv.STORE_PAGES_CONTROL_URL, "/reset", {}),
};

/** A new store on the fake, as a user would type it (`127.0.0.1:port/store-…`, no scheme). */
export const newStore = (prefix = "store") => `${new URL(blogEnv.STORE_PAGES_URL).host}/${uniq(prefix)}`;

export function dress(id: string, category: string | null, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Dress ${id}`,
    designer: "Vera",
    price: "$1,999",
    imageUrl: `https://img.example/${id}.jpg`,
    category,
    tags: ["lace"],
    ...extra,
  };
}

export const adminHeaders = { Authorization: `Bearer ${testEnv.ADMIN_TOKEN}`, "Content-Type": "application/json" };
/** A JSON request (init for api()); compare marketing-helpers' json(), which reads a response. */
export const jsonRequest = (body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const AGENTS = ["brand-voice-analyzer", "blog-writer", "blog-editor", "seo-specialist", "senior-editor", "blog-reviewer"] as const;

/** Gives each agent the model `fake/<agent>` (so the chat fake can answer per agent) and sets the API key. */
export async function seedAgents(apiKey: string | null = "sk-test-key") {
  for (const [i, agent] of AGENTS.entries()) {
    await sql(
      `INSERT INTO blog.agent_model_configs (agent_id, agent_label, model_id, temperature, max_tokens) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (agent_id) DO UPDATE SET model_id = excluded.model_id, temperature = excluded.temperature, max_tokens = excluded.max_tokens`,
      [agent, agent, `fake/${agent}`, (0.3 + i / 10).toFixed(1), String(1000 + i)],
    );
  }
  await setSetting("openrouter_api_key", apiKey ?? "");
}

/** Writes a setting as the seed or an admin would; a new row is secret when `secret` says so (default: credential-like names). */
export async function setSetting(key: string, value: string, secret = /(^|_)(key|secret|token|password)$/.test(key)) {
  await sql(
    `INSERT INTO blog.app_settings (key, value, is_secret) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [key, value, secret],
  );
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Calls the Worker's app with some bindings changed, and waits for its background work. */
export async function callWith(vars: Partial<BlogEnv> & Record<string, unknown>, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(`http://api.test${path}`, init), { ...testEnv, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
