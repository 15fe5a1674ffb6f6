/**
 * The chat module's calls to an OpenAI-compatible chat-completions API (CHAT_LLM_BASE_URL, key and model
 * from config): a plain completion for workflow steps, and a streamed one (SSE) for chat turns.
 */
import { z } from "zod";
import { unavailable } from "../../src/core/problem";
import { fetchJson, UpstreamError } from "../../src/core/upstream";
import type { ChatConfig } from "./config";

export const LLM = "language model API";

export interface LlmMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export function requireApiKey(cfg: ChatConfig): string {
  if (!cfg.llmApiKey) throw unavailable("No language model API key is configured (CHAT_LLM_API_KEY).", 60);
  return cfg.llmApiKey;
}

const headers = (key: string) => ({ Authorization: `Bearer ${key}`, "Content-Type": "application/json", "X-Title": "edge-backend chat" });

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable(), reasoning: z.string().nullish() }) })).min(1),
});

export async function complete(cfg: ChatConfig, model: string, messages: LlmMessage[]): Promise<{ content: string; model: string }> {
  const res = await fetchJson(`${cfg.llmBaseUrl}/chat/completions`, {
    upstream: LLM,
    schema: completionSchema,
    timeoutMs: cfg.llmTimeoutMs,
    init: { method: "POST", headers: headers(requireApiKey(cfg)), body: JSON.stringify({ model, messages }) },
  });
  const content = res.choices[0]!.message.content?.trim();
  if (!content) throw new UpstreamError(LLM, { kind: "invalid", message: "empty answer" });
  return { content, model: res.model ?? model };
}

/** Opens a streamed completion; throws UpstreamError when the API does not answer 200 with a body. */
export async function openStream(
  cfg: ChatConfig,
  model: string,
  messages: LlmMessage[],
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  let res: Response;
  try {
    res = await fetch(`${cfg.llmBaseUrl}/chat/completions`, {
      method: "POST",
      signal,
      headers: { ...headers(requireApiKey(cfg)), Accept: "text/event-stream" },
      body: JSON.stringify({ model, messages, stream: true }),
    });
  } catch (err) {
    if (signal.aborted) throw new UpstreamError(LLM, { kind: "timeout", ms: cfg.llmTimeoutMs }, { cause: err });
    throw new UpstreamError(LLM, { kind: "network", message: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    const retry = Number(res.headers.get("Retry-After"));
    throw new UpstreamError(LLM, {
      kind: "status",
      status: res.status,
      retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    });
  }
  return res.body;
}

export interface Delta {
  content?: string;
  reasoning?: string;
  model?: string;
}

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        delta: z
          .object({ content: z.string().nullish(), reasoning: z.string().nullish(), reasoning_content: z.string().nullish() })
          .partial()
          .optional(),
      }),
    )
    .optional(),
});

/** The deltas of an OpenAI-style SSE stream (`data: {…}` lines, ending with `data: [DONE]`). */
export async function* deltas(body: ReadableStream<Uint8Array>): AsyncGenerator<Delta> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        let parsed;
        try {
          parsed = chunkSchema.safeParse(JSON.parse(data));
        } catch {
          throw new UpstreamError(LLM, { kind: "invalid", message: "a stream chunk is not JSON" });
        }
        if (!parsed.success) continue;
        const d = parsed.data.choices?.[0]?.delta;
        const reasoning = d?.reasoning ?? d?.reasoning_content ?? undefined;
        if (d?.content || reasoning) yield { content: d?.content ?? undefined, reasoning, model: parsed.data.model };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
