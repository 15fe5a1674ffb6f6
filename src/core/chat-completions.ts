/**
 * One call to an OpenAI-compatible chat-completions API (OpenRouter and the like): deadline, JSON checked,
 * token usage returned. Failures are UpstreamError (src/http/upstream.ts); the caller decides what they mean.
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
}): Promise<ChatAnswer> {
  const upstream = opts.upstream ?? "language model API";
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
        model: opts.model,
        messages: opts.messages,
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
      }),
    },
  });
  const content = res.choices[0]!.message.content?.trim();
  if (!content) throw new UpstreamError(upstream, { kind: "invalid", message: "empty answer" });
  const promptTokens = res.usage?.prompt_tokens ?? 0;
  const completionTokens = res.usage?.completion_tokens ?? 0;
  return {
    content,
    model: res.model ?? opts.model,
    promptTokens,
    completionTokens,
    totalTokens: res.usage?.total_tokens ?? promptTokens + completionTokens,
  };
}
