/**
 * A fake OpenAI-compatible chat-completions server (`POST /chat/completions`) for the workerd tests.
 * Replies are chosen by rules matched against the model id and the prompt: `{ match, content | json, status,
 * delayMs, invalid, times }`; without a matching rule it answers "Fake reply.". Every call is recorded with
 * its model, temperature, max_tokens, messages and Authorization header (GET /__control/calls).
 * With `stream: true` the answer is server-sent events in OpenAI's chunk format: the rule's `reasoning` and
 * `content` (or `chunks`) split into deltas, `chunkDelayMs` apart, then `data: [DONE]`; `breakAfter: n` cuts
 * the connection after n content deltas (an upstream failure mid-stream).
 */
import type { ServerResponse } from "node:http";
import { applyRule, readJson, type Rule, send, sleep, startFake, type FakeServer, takeRule } from "./common.js";

/** "Fake reply." → ["Fake ", "reply."]: words with their trailing space, so deltas join back to the text. */
const pieces = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

async function streamReply(res: ServerResponse, id: string, model: string, content: string, rule: Rule | undefined): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const delay = Number(rule?.chunkDelayMs ?? 0);
  const write = async (text: string) => {
    if (res.destroyed) return false;
    res.write(text);
    if (delay) await sleep(delay);
    return !res.destroyed;
  };
  if (!(await write(chunk({ role: "assistant", content: "" })))) return;
  for (const r of typeof rule?.reasoning === "string" ? pieces(rule.reasoning) : []) if (!(await write(chunk({ reasoning: r })))) return;
  const parts = Array.isArray(rule?.chunks) ? (rule.chunks as string[]) : pieces(content);
  for (const [i, p] of parts.entries()) {
    if (typeof rule?.breakAfter === "number" && i >= rule.breakAfter) {
      await sleep(50); // let what was written reach the client first
      res.destroy();
      return;
    }
    if (!(await write(chunk({ content: p })))) return;
  }
  await write(chunk({}, "stop"));
  res.end("data: [DONE]\n\n");
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export function startChatCompletions(): Promise<FakeServer> {
  let seq = 0;
  return startFake("chat-completions", async (req, res, url, state) => {
    if (req.method !== "POST" || url.pathname !== "/chat/completions") return send(res, 404, { error: "not found" });
    const body = await readJson(req);
    const messages = (body.messages ?? []) as { role: string; content: string }[];
    const prompt = messages.map((m) => m.content).join("\n");
    state.calls.push({
      method: "POST",
      path: url.pathname,
      at: Date.now(),
      model: body.model,
      temperature: body.temperature,
      max_tokens: body.max_tokens,
      response_format: body.response_format,
      messages,
      authorization: req.headers.authorization,
      stream: body.stream === true,
    });
    const rule = takeRule(state, `${body.model}\n${prompt}`);
    if (await applyRule(rule, res)) return;
    const content = rule?.json !== undefined ? JSON.stringify(rule.json) : typeof rule?.content === "string" ? rule.content : "Fake reply.";
    const usage = { prompt_tokens: tokens(prompt), completion_tokens: tokens(content), total_tokens: tokens(prompt) + tokens(content) };
    if (body.stream === true) return streamReply(res, `chatcmpl-fake-${++seq}`, String(body.model), content, rule);
    send(res, 200, {
      id: `chatcmpl-fake-${++seq}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage,
    });
  });
}
