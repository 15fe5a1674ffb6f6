/**
 * A fake OpenAI-compatible chat-completions server (`POST /chat/completions`) for the workerd tests.
 * Replies are chosen by rules matched against the model id and the prompt: `{ match, content | json, status,
 * delayMs, invalid, times }`; without a matching rule it answers "Fake reply.". Every call is recorded with
 * its model, temperature, max_tokens, messages and Authorization header (GET /__control/calls).
 */
import { applyRule, readJson, send, startFake, type FakeServer, takeRule } from "./common.js";

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export function startChatCompletions(): Promise<FakeServer> {
  let seq = 0;
  return startFake("chat-completions", async (req, res, url, state) => {
    if (req.method !== "POST" || url.pathname !== "/chat/completions") return send(res, 404, { error: "not found" });
    const body = await readJson(req);
    const messages = (body.messages ?? []) as { role: string; content: string }[];
    const prompt = messages.map((m) => m.content).join("\n");
    state.calls.push({
      method: "POST", path: url.pathname, at: Date.now(), model: body.model, temperature: body.temperature,
      max_tokens: body.max_tokens, response_format: body.response_format, messages, authorization: req.headers.authorization,
    });
    const rule = takeRule(state, `${body.model}\n${prompt}`);
    if (await applyRule(rule, res)) return;
    const content = rule?.json !== undefined ? JSON.stringify(rule.json) : typeof rule?.content === "string" ? rule.content : "Fake reply.";
    const usage = { prompt_tokens: tokens(prompt), completion_tokens: tokens(content), total_tokens: tokens(prompt) + tokens(content) };
    send(res, 200, {
      id: `chatcmpl-fake-${++seq}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage,
    });
  });
}
