/** The skill runner's one model call: an OpenAI-compatible chat completion with the module's configured model (config.ts). */
import { z } from "zod";
import { fetchJson, UpstreamError } from "../../src/core/upstream";
import type { marketingConfig } from "./config";

export const LLM = "language model API";

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) })
    .partial()
    .optional(),
});

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}
export interface ModelAnswer {
  content: string;
  tokensInput: number;
  tokensOutput: number;
}

export async function complete(cfg: ReturnType<typeof marketingConfig>, apiKey: string, messages: ChatMessage[]): Promise<ModelAnswer> {
  const res = await fetchJson(`${cfg.llmBaseUrl}/chat/completions`, {
    upstream: LLM,
    schema: completionSchema,
    timeoutMs: cfg.llmTimeoutMs,
    init: {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", "X-Title": "edge-backend marketing" },
      body: JSON.stringify({ model: cfg.llmModel, max_tokens: cfg.llmMaxTokens, messages }),
    },
  });
  const content = res.choices[0]!.message.content?.trim();
  if (!content) throw new UpstreamError(LLM, { kind: "invalid", message: "empty answer" });
  return { content, tokensInput: res.usage?.prompt_tokens ?? 0, tokensOutput: res.usage?.completion_tokens ?? 0 };
}
