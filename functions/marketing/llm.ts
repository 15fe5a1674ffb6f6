/** The skill runner's one model call: the platform's chat completion (src/core/chat-completions.ts) with the module's configured model (config.ts). */
import { type ChatMessage, chatCompletion } from "../../src/core/chat-completions";
import type { marketingConfig } from "./config";

export type { ChatMessage };

export interface ModelAnswer {
  content: string;
  tokensInput: number;
  tokensOutput: number;
}

export async function complete(cfg: ReturnType<typeof marketingConfig>, apiKey: string, messages: ChatMessage[]): Promise<ModelAnswer> {
  const answer = await chatCompletion({
    baseUrl: cfg.llmBaseUrl,
    apiKey,
    model: cfg.llmModel,
    modelPrefixes: cfg.llmModelPrefixes,
    maxTokens: cfg.llmMaxTokens,
    timeoutMs: cfg.llmTimeoutMs,
    title: "edge-backend marketing",
    messages,
  });
  return { content: answer.content, tokensInput: answer.promptTokens, tokensOutput: answer.completionTokens };
}
