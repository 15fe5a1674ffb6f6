/** Artifacts: CRUD, types, the optional link to one of the caller's messages. */
import { describe, expect, it } from "vitest";
import { call, expectJson, newUser, sql } from "./helpers";

async function messageOf(u: Awaited<ReturnType<typeof newUser>>) {
  const conv = await expectJson(await call(u, "POST", "/conversations", { title: "with artifacts" }), 201);
  return expectJson<{ id: string }>(
    await call(u, "POST", `/conversations/${conv.id}/messages`, { role: "assistant", content: "here" }),
    201,
  );
}

describe("chat artifacts", () => {
  it("create, get, list with filters, patch and delete", async () => {
    const u = await newUser();
    const msg = await messageOf(u);
    const res = await call(u, "POST", "/artifacts", {
      type: "code",
      title: "fib.py",
      content: "def fib(n): ...",
      messageId: msg.id,
      metadata: { language: "python" },
    });
    expect(res.headers.get("Location")).toMatch(/^\/v1\/chat\/artifacts\//);
    const a = await expectJson(res, 201);
    expect(a).toMatchObject({ type: "code", title: "fib.py", messageId: msg.id, metadata: { language: "python" } });
    const b = await expectJson(await call(u, "POST", "/artifacts", { type: "sheet", title: "budget" }), 201);
    expect(b.messageId).toBeNull();
    expect((await expectJson(await call(u, "GET", `/artifacts/${a.id}`), 200)).content).toBe("def fib(n): ...");
    expect((await expectJson(await call(u, "GET", "/artifacts?type=sheet"), 200)).items.map((x: any) => x.id)).toEqual([b.id]);
    expect((await expectJson(await call(u, "GET", `/artifacts?messageId=${msg.id}`), 200)).items.map((x: any) => x.id)).toEqual([a.id]);
    expect((await expectJson(await call(u, "GET", "/artifacts?q=BUDG"), 200)).items.map((x: any) => x.id)).toEqual([b.id]);
    const patched = await expectJson(await call(u, "PATCH", `/artifacts/${a.id}`, { title: "fib2.py", messageId: null }), 200);
    expect(patched).toMatchObject({ title: "fib2.py", messageId: null });
    expect(await sql("SELECT title, message_id FROM chat.artifacts WHERE id = $1", [a.id])).toEqual([
      { title: "fib2.py", message_id: null },
    ]);
    expect((await call(u, "DELETE", `/artifacts/${a.id}`)).status).toBe(204);
    expect(await sql("SELECT 1 FROM chat.artifacts WHERE id = $1", [a.id])).toHaveLength(0);
    expect((await call(u, "GET", `/artifacts/${a.id}`)).status).toBe(404);
  });

  it("rejects a bad type (400) and another user's message (422), writing nothing", async () => {
    const u = await newUser();
    const other = await newUser();
    const foreign = await messageOf(other);
    expect((await call(u, "POST", "/artifacts", { type: "video", title: "x" })).status).toBe(400);
    const res = await call(u, "POST", "/artifacts", { type: "text", title: "steal", messageId: foreign.id });
    expect(res.status).toBe(422);
    expect((await res.json<any>()).errors[0].path).toBe("body.messageId");
    const mine = await expectJson(await call(u, "POST", "/artifacts", { type: "text", title: "ok" }), 201);
    expect((await call(u, "PATCH", `/artifacts/${mine.id}`, { messageId: foreign.id })).status).toBe(422);
    expect(await sql("SELECT count(*)::int AS n FROM chat.artifacts WHERE user_id = $1 AND message_id IS NOT NULL", [u.id])).toEqual([
      { n: 0 },
    ]);
  });

  it("another user's artifact is 404 everywhere", async () => {
    const owner = await newUser();
    const other = await newUser();
    const a = await expectJson(await call(owner, "POST", "/artifacts", { type: "image", title: "logo" }), 201);
    for (const res of await Promise.all([
      call(other, "GET", `/artifacts/${a.id}`),
      call(other, "PATCH", `/artifacts/${a.id}`, { title: "mine" }),
      call(other, "DELETE", `/artifacts/${a.id}`),
    ]))
      expect(res.status).toBe(404);
    expect(await sql("SELECT title FROM chat.artifacts WHERE id = $1", [a.id])).toEqual([{ title: "logo" }]);
  });
});
