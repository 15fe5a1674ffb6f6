/**
 * One call to an OpenAI-compatible chat-completions API (OpenRouter and the like): deadline, JSON checked,
 * token usage returned. Failures are UpstreamError (src/http/upstream.ts); the caller decides what they mean.
 *
 * Model ids are translated per provider before they are sent: configs written for Mastra name a model
 * `<provider>/<vendor>/<model>` (`openrouter/anthropic/claude-3.5-sonnet`), while OpenRouter itself expects
 * `anthropic/claude-3.5-sonnet`. `LLM_MODEL_PREFIXES` maps an API host to the prefixes it does not take:
 * `host=prefix|prefix,host2=prefix` (default `openrouter.ai=openrouter/`); the first matching prefix is removed.
 */
import { z } from "zod";
import { fetchJson, UpstreamError } from "./upstream";

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).partial().optional(),
});

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatAnswer {
  content: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export const DEFAULT_MODEL_PREFIXES = "openrouter.ai=openrouter/";

/** The model id as the provider at `baseUrl` expects it (see LLM_MODEL_PREFIXES above). */
export function providerModelId(baseUrl: string, modelId: string, prefixMap: string = DEFAULT_MODEL_PREFIXES): string {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return modelId;
  }
  for (const entry of prefixMap.split(",")) {
    const [h, prefixes] = entry.split("=", 2).map((s) => s.trim());
    if (!h || h.toLowerCase() !== host || !prefixes) continue;
    const strip = prefixes
      .split("|")
      .map((p) => p.trim())
      .find((p) => p && modelId.startsWith(p));
    if (strip && modelId.length > strip.length) return modelId.slice(strip.length);
  }
  return modelId;
}

export async function chatCompletion(opts: {
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: ChatMessage[];
  timeoutMs: number;
  upstream?: string;
  temperature?: number;
  maxTokens?: number;
  title?: string;
  /** ask for a JSON object (`response_format: json_object`) */
  json?: boolean;
  /** LLM_MODEL_PREFIXES (default DEFAULT_MODEL_PREFIXES) */
  modelPrefixes?: string;
}): Promise<ChatAnswer> {
  const upstream = opts.upstream ?? "language model API";
  const model = providerModelId(opts.baseUrl, opts.model, opts.modelPrefixes || DEFAULT_MODEL_PREFIXES);
  const res = await fetchJson(`${opts.baseUrl}/chat/completions`, {
    upstream,
    schema: completionSchema,
    timeoutMs: opts.timeoutMs,
    init: {
      method: "POST",
      headers: {
        Authorization: `Bearer ${opts.apiKey}`,
        "Content-Type": "application/json",
        ...(opts.title ? { "X-Title": opts.title } : {}),
      },
      body: JSON.stringify({
        model,
        messages: opts.messages,
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
        ...(opts.json ? { response_format: { type: "json_object" } } : {}),
      }),
    },
  });
  const content = res.choices[0]!.message.content?.trim();
  if (!content) throw new UpstreamError(upstream, { kind: "invalid", message: "empty answer" });
  const promptTokens = res.usage?.prompt_tokens ?? 0;
  const completionTokens = res.usage?.completion_tokens ?? 0;
  return {
    content,
    model: res.model ?? model,
    promptTokens,
    completionTokens,
    totalTokens: res.usage?.total_tokens ?? promptTokens + completionTokens,
  };
}
