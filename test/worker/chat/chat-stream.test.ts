/** The streamed chat turn: SSE from the model relayed to the caller, the reply stored when the stream ends. */
import { beforeEach, describe, expect, it } from "vitest";
import { call, callWithEnv, expectJson, llm, newUser, sql, waitFor } from "./helpers";

interface SseEvent {
  event: string;
  data: any;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data ? JSON.parse(data) : null };
    });
}

async function setup(title = "Stream", systemPrompt?: string) {
  const u = await newUser();
  const conv = await expectJson<{ id: string }>(await call(u, "POST", "/conversations", { title, systemPrompt }), 201);
  return { u, conv };
}

const storedMessages = (conversationId: string) =>
  sql<{ id: string; role: string; content: string; parts: any; reasoning: string | null }>(
    "SELECT id, role, content, parts, reasoning FROM chat.messages WHERE conversation_id = $1 ORDER BY created_at, id",
    [conversationId],
  );

beforeEach(async () => {
  await llm.reset();
});

describe("chat streaming", () => {
  it("streams the reply as SSE and stores it, with reasoning and parts, matching what was streamed", async () => {
    const { u, conv } = await setup("Stream", "You are terse.");
    await expectJson(await call(u, "POST", `/conversations/${conv.id}/messages`, { role: "assistant", content: "Earlier answer." }), 201);
    await llm.rules([
      { match: "tell me a story", content: "Once upon a time, a tiny worker streamed.", reasoning: "Think of a short story." },
    ]);
    const res = await call(u, "POST", `/conversations/${conv.id}/chat`, { content: "Please tell me a story" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/event-stream");
    const messageId = res.headers.get("X-Message-Id");
    const events = parseSse(await res.text());
    const streamed = events
      .filter((e) => e.event === "delta")
      .map((e) => e.data.text)
      .join("");
    const reasoning = events
      .filter((e) => e.event === "reasoning")
      .map((e) => e.data.text)
      .join("");
    expect(events.filter((e) => e.event === "delta").length).toBeGreaterThan(3);
    expect(streamed).toBe("Once upon a time, a tiny worker streamed.");
    expect(reasoning).toBe("Think of a short story.");
    const done = events.at(-1)!;
    expect(done).toEqual({ event: "done", data: { messageId, content: streamed } });
    // stored: the user's message, then the assistant's with the streamed text
    const rows = await storedMessages(conv.id);
    expect(rows.map((r) => r.role)).toEqual(["assistant", "user", "assistant"]);
    expect(rows[1]!.content).toBe("Please tell me a story");
    expect(rows[2]).toMatchObject({
      id: messageId,
      content: streamed,
      reasoning,
      parts: [
        { type: "reasoning", text: reasoning },
        { type: "text", text: streamed },
      ],
    });
    // the model got the system prompt and the history, oldest first, ending with the new message
    const { calls } = await llm.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ model: "fake/chat", stream: true, authorization: "Bearer sk-chat-test" });
    expect(calls[0].messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "assistant", content: "Earlier answer." },
      { role: "user", content: "Please tell me a story" },
    ]);
  });

  it("a caller who disconnects mid-stream still gets the whole reply stored", async () => {
    const { u, conv } = await setup();
    const words = Array.from({ length: 30 }, (_, i) => `word${i} `);
    await llm.rules([{ match: "long answer", chunks: words, chunkDelayMs: 40 }]);
    const res = await call(u, "POST", `/conversations/${conv.id}/chat`, { content: "a long answer please" });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event:");
    await reader.cancel();
    const stored = await waitFor(async () => (await storedMessages(conv.id)).find((r) => r.role === "assistant"), 15_000);
    expect(stored.content).toBe(words.join(""));
    expect(stored.id).toBe(res.headers.get("X-Message-Id"));
  });

  it("a model that breaks off mid-stream: the partial reply is stored with an error part and the caller gets an error event", async () => {
    const { u, conv } = await setup();
    await llm.rules([{ match: "fragile", chunks: ["one ", "two ", "three ", "four "], breakAfter: 2 }]);
    const res = await call(u, "POST", `/conversations/${conv.id}/chat`, { content: "fragile question" });
    const events = parseSse(await res.text());
    expect(events.at(-1)!.event).toBe("error");
    const rows = await storedMessages(conv.id);
    const reply = rows.find((r) => r.role === "assistant")!;
    expect(reply.content).toBe("one two ");
    expect(reply.parts.at(-1).type).toBe("error");
  });

  it("a model that is down answers 503 with Retry-After before any streaming; the user's message is kept", async () => {
    const { u, conv } = await setup();
    await llm.rules([{ match: "outage", status: 503 }]);
    const res = await call(u, "POST", `/conversations/${conv.id}/chat`, { content: "during an outage" });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await storedMessages(conv.id)).map((r) => r.role)).toEqual(["user"]);
  });

  it("rejects an empty message and an unknown conversation without calling the model", async () => {
    const { u, conv } = await setup();
    expect((await call(u, "POST", `/conversations/${conv.id}/chat`, { content: "  " })).status).toBe(400);
    expect((await call(u, "POST", `/conversations/${crypto.randomUUID()}/chat`, { content: "hi" })).status).toBe(404);
    expect((await llm.calls()).count).toBe(0);
  });
});

describe("chat turn limits", () => {
  it("a model API that does not start answering within CHAT_LLM_CONNECT_TIMEOUT_MS answers a prompt 503", async () => {
    const { u, conv } = await setup();
    await llm.rules([{ match: "stalled", delayMs: 3000 }]);
    const res = await callWithEnv({ CHAT_LLM_CONNECT_TIMEOUT_MS: "300" }, u, "POST", `/conversations/${conv.id}/chat`, {
      content: "stalled model",
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect((await res.json<any>()).detail).toMatch(/did not answer in time/);
  });

  it("chat turns are rate-limited per user (CHAT_LLM_RATE_LIMIT per minute)", async () => {
    const { u, conv } = await setup();
    const other = await setup();
    const vars = { CHAT_LLM_RATE_LIMIT: "2" };
    for (let i = 0; i < 2; i++)
      expect((await callWithEnv(vars, u, "POST", `/conversations/${conv.id}/chat`, { content: `turn ${i}` })).status).toBe(200);
    const limited = await callWithEnv(vars, u, "POST", `/conversations/${conv.id}/chat`, { content: "one more" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBeTruthy();
    // another user is not affected
    expect((await callWithEnv(vars, other.u, "POST", `/conversations/${other.conv.id}/chat`, { content: "mine" })).status).toBe(200);
    expect((await storedMessages(conv.id)).filter((m) => m.role === "user").map((m) => m.content)).toEqual(["turn 0", "turn 1"]);
  });
});
