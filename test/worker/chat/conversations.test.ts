/** Conversations and messages: CRUD, ordering, search, cursor paging, deletion order, other users' ids. */
import { describe, expect, it } from "vitest";
import { api, call, expectJson, newUser, sql } from "./helpers";

async function conversation(u: Awaited<ReturnType<typeof newUser>>, title = "Trip planning", extra: Record<string, unknown> = {}) {
  return expectJson<{ id: string; updatedAt: string }>(await call(u, "POST", "/conversations", { title, ...extra }), 201);
}

describe("chat conversations", () => {
  it("creates, reads, renames and lists them most recently updated first, with title search and pages", async () => {
    const u = await newUser();
    const created = await call(u, "POST", "/conversations", { title: "Alpha trip", systemPrompt: "Be brief.", metadata: { pinned: true } });
    expect(created.headers.get("Location")).toMatch(/^\/v1\/chat\/conversations\/[0-9a-f-]{36}$/);
    const a = await expectJson(created, 201);
    expect(a).toMatchObject({ title: "Alpha trip", systemPrompt: "Be brief.", metadata: { pinned: true } });
    const b = await conversation(u, "Beta notes");
    const c = await conversation(u, "Gamma trip");
    // touching a makes it the most recent
    await expectJson(await call(u, "PATCH", `/conversations/${a.id}`, { title: "Alpha trip (renamed)" }), 200);
    const list = await expectJson(await call(u, "GET", "/conversations"), 200);
    expect(list.items.map((x: any) => x.id)).toEqual([a.id, c.id, b.id]);
    expect(list).toMatchObject({ page: 1, pageSize: 20, hasNext: false });
    const search = await expectJson(await call(u, "GET", "/conversations?q=TRIP"), 200);
    expect(search.items.map((x: any) => x.title)).toEqual(["Alpha trip (renamed)", "Gamma trip"]);
    const paged = await expectJson(await call(u, "GET", "/conversations?pageSize=2&page=2"), 200);
    expect(paged.items.map((x: any) => x.id)).toEqual([b.id]);
    const [row] = await sql<{ title: string }>("SELECT title FROM chat.conversations WHERE id = $1", [a.id]);
    expect(row!.title).toBe("Alpha trip (renamed)");
  });

  it("validates input as 400 problems naming the fields", async () => {
    const u = await newUser();
    const res = await call(u, "POST", "/conversations", { title: "" });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].path).toBe("body.title");
    expect((await call(u, "GET", "/conversations/not-a-uuid")).status).toBe(400);
    expect((await call(u, "PATCH", `/conversations/${crypto.randomUUID()}`, {})).status).toBe(400);
  });

  it("appending a message bumps the conversation's updatedAt; GET returns messages in ascending createdAt", async () => {
    const u = await newUser();
    const conv = await conversation(u);
    const m1 = await expectJson(
      await call(u, "POST", `/conversations/${conv.id}/messages`, {
        role: "user",
        content: "Hi",
        attachments: [{ url: "https://x.example/a.png" }],
      }),
      201,
    );
    const m2 = await expectJson(
      await call(u, "POST", `/conversations/${conv.id}/messages`, {
        role: "assistant",
        content: "Hello!",
        parts: [{ type: "text", text: "Hello!" }],
        reasoning: "greet",
      }),
      201,
    );
    const full = await expectJson(await call(u, "GET", `/conversations/${conv.id}`), 200);
    expect(full.messages.map((m: any) => m.id)).toEqual([m1.id, m2.id]);
    expect(full.messages[1]).toMatchObject({ role: "assistant", parts: [{ type: "text", text: "Hello!" }], reasoning: "greet" });
    expect(full.hasEarlierMessages).toBe(false);
    expect(Date.parse(full.updatedAt)).toBeGreaterThan(Date.parse(conv.updatedAt));
    const [row] = await sql<{ later: boolean }>(
      "SELECT updated_at >= (SELECT max(created_at) FROM chat.messages WHERE conversation_id = $1) AS later FROM chat.conversations WHERE id = $1",
      [conv.id],
    );
    expect(row!.later).toBe(true);
    expect((await call(u, "POST", `/conversations/${conv.id}/messages`, { role: "robot", content: "x" })).status).toBe(400);
  });

  it("pages a 1,000-message conversation by cursor with no gaps or duplicates", async () => {
    const u = await newUser();
    const conv = await conversation(u, "Long one");
    // half share one created_at (one statement), half are spread out: both orderings must hold
    await sql(
      `INSERT INTO chat.messages (conversation_id, role, content, created_at)
      SELECT $1, 'user', 'm' || i, CASE WHEN i <= 500 THEN timestamp '2026-01-01 00:00:00' ELSE timestamp '2026-01-01 00:00:00' + i * interval '1 microsecond' END
      FROM generate_series(1, 1000) AS i`,
      [conv.id],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await expectJson(
        await call(u, "GET", `/conversations/${conv.id}/messages?limit=73${cursor ? `&cursor=${cursor}` : ""}`),
        200,
      );
      seen.push(...page.items.map((m: any) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(1000 / 73));
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    const ordered = await sql<{ id: string }>("SELECT id FROM chat.messages WHERE conversation_id = $1 ORDER BY created_at, id", [conv.id]);
    expect(seen).toEqual(ordered.map((r) => r.id));
    // the embedded view: the 200 most recent, oldest first
    const full = await expectJson(await call(u, "GET", `/conversations/${conv.id}`), 200);
    expect(full.hasEarlierMessages).toBe(true);
    expect(full.messages.map((m: any) => m.id)).toEqual(ordered.slice(-200).map((r) => r.id));
    expect((await call(u, "GET", `/conversations/${conv.id}/messages?cursor=garbage`)).status).toBe(400);
  });

  it("delete removes the messages and unlinks their artifacts in one transaction", async () => {
    const u = await newUser();
    const conv = await conversation(u);
    const msg = await expectJson(await call(u, "POST", `/conversations/${conv.id}/messages`, { role: "assistant", content: "code" }), 201);
    const art = await expectJson(
      await call(u, "POST", "/artifacts", { type: "code", title: "snippet", content: "print(1)", messageId: msg.id }),
      201,
    );
    expect((await call(u, "DELETE", `/conversations/${conv.id}`)).status).toBe(204);
    expect(await sql("SELECT 1 FROM chat.conversations WHERE id = $1", [conv.id])).toHaveLength(0);
    expect(await sql("SELECT 1 FROM chat.messages WHERE conversation_id = $1", [conv.id])).toHaveLength(0);
    expect(await sql("SELECT message_id FROM chat.artifacts WHERE id = $1", [art.id])).toEqual([{ message_id: null }]);
    expect((await call(u, "DELETE", `/conversations/${conv.id}`)).status).toBe(404);
  });

  it("another user's conversation is 404 on every route, and nothing of it changes", async () => {
    const owner = await newUser();
    const other = await newUser();
    const conv = await conversation(owner, "private");
    await expectJson(await call(owner, "POST", `/conversations/${conv.id}/messages`, { role: "user", content: "secret" }), 201);
    const attempts = [
      call(other, "GET", `/conversations/${conv.id}`),
      call(other, "PATCH", `/conversations/${conv.id}`, { title: "mine now" }),
      call(other, "DELETE", `/conversations/${conv.id}`),
      call(other, "POST", `/conversations/${conv.id}/messages`, { role: "user", content: "hi" }),
      call(other, "GET", `/conversations/${conv.id}/messages`),
      call(other, "POST", `/conversations/${conv.id}/chat`, { content: "hi" }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    expect(await sql("SELECT title FROM chat.conversations WHERE id = $1", [conv.id])).toEqual([{ title: "private" }]);
    expect(await sql("SELECT count(*)::int AS n FROM chat.messages WHERE conversation_id = $1", [conv.id])).toEqual([{ n: 1 }]);
    expect((await expectJson(await call(other, "GET", "/conversations"), 200)).items).toEqual([]);
  });
});

describe("chat creates with Idempotency-Key", () => {
  it("a retried create answers the first result and stores one row", async () => {
    const u = await newUser();
    const key = `conv-${crypto.randomUUID()}`;
    const send = () =>
      api("/v1/chat/conversations", {
        method: "POST",
        headers: { ...u.headers, "Idempotency-Key": key },
        body: JSON.stringify({ title: "once" }),
      });
    const first = await expectJson(await send(), 201);
    const again = await send();
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await expectJson(again, 201)).id).toBe(first.id);
    expect(await sql("SELECT count(*)::int AS n FROM chat.conversations WHERE user_id = $1", [u.id])).toEqual([{ n: 1 }]);
  });
});
