/** A skill's files (admin) and a client's files (owner) in R2: put, list, read, delete; limits, names, types; and the executor reading them. */
import { createExecutionContext, createMessageBatch, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { MarketingEnv } from "../../../functions/marketing/config";
import { createApp } from "../../../src/app";
import worker from "../../../src/index";
import { testEnv, uniq } from "../helpers";
import { ADMIN, BASE, createClient, createUser, fieldPaths, json, problem, type TestUser, upsertSkill } from "./helpers";
import { callWith, capturingQueue, chatApi } from "./llm";

/** A request with a raw body, optionally with some bindings or vars replaced. */
async function send(
  method: string,
  path: string,
  opts: { token?: string; body?: BodyInit; type?: string; headers?: Record<string, string>; vars?: Partial<MarketingEnv> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.type) headers["Content-Type"] = opts.type;
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`http://api.test${BASE}${path}`, { method, headers, body: opts.body }),
    { ...testEnv, ...opts.vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const md = "text/markdown; charset=utf-8";
const newSkill = async () => {
  const name = uniq("files-skill");
  await upsertSkill(name, { s3Key: `skills/${name}/` });
  return name;
};
/** A body streamed in chunks, without a Content-Length. */
const streamed = (bytes: number, chunk = 256) =>
  new ReadableStream<Uint8Array>({
    start(ctrl) {
      for (let sent = 0; sent < bytes; sent += chunk) ctrl.enqueue(new Uint8Array(Math.min(chunk, bytes - sent)).fill(97));
      ctrl.close();
    },
  });

beforeEach(async () => {
  await chatApi.reset();
});

describe("skill files (admin)", () => {
  it("put creates (201 + Location) then replaces (200); the object is at the skill's folder with its content type; list and get read it back", async () => {
    const skill = await newSkill();
    const created = await send("PUT", `/skills/${skill}/files/SKILL.md`, { token: ADMIN, body: "# Skill\nBe brief.", type: md });
    const body = await json(created, 201);
    expect(created.headers.get("location")).toBe(`${BASE}/skills/${skill}/files/SKILL.md`);
    expect(body).toMatchObject({ name: "SKILL.md", size: 17, contentType: md });
    const obj = await testEnv.FILES.get(`skills/${skill}/SKILL.md`);
    expect(await obj!.text()).toBe("# Skill\nBe brief.");
    expect(obj!.httpMetadata?.contentType).toBe(md);

    const replaced = await json(await send("PUT", `/skills/${skill}/files/SKILL.md`, { token: ADMIN, body: "# Skill v2", type: md }), 200);
    expect(replaced.size).toBe(10);
    await json(
      await send("PUT", `/skills/${skill}/files/logo.png`, { token: ADMIN, body: new Uint8Array([137, 80, 78, 71]), type: "image/png" }),
      201,
    );
    // No Content-Type (a byte body gets none from fetch): from the extension.
    await json(await send("PUT", `/skills/${skill}/files/RULES.md`, { token: ADMIN, body: new TextEncoder().encode("No jargon.") }), 201);

    const list = await json(await send("GET", `/skills/${skill}/files`, { token: ADMIN }), 200);
    expect(list.items.map((f: any) => [f.name, f.contentType, f.size])).toEqual([
      ["RULES.md", md, 10],
      ["SKILL.md", md, 10],
      ["logo.png", "image/png", 4],
    ]);
    expect(list.nextCursor).toBeNull();

    const got = await send("GET", `/skills/${skill}/files/SKILL.md`, { token: ADMIN });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe(md);
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-security-policy")).toContain("sandbox");
    expect(got.headers.get("content-disposition")).toBe('inline; filename="SKILL.md"');
    expect(await got.text()).toBe("# Skill v2");
    const png = await send("GET", `/skills/${skill}/files/logo.png`, { token: ADMIN });
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe('attachment; filename="logo.png"');
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
  });

  it("lists in pages with a cursor", async () => {
    const skill = await newSkill();
    for (const f of ["a.md", "b.md", "c.md"]) await json(await send("PUT", `/skills/${skill}/files/${f}`, { token: ADMIN, body: f }), 201);
    const first = await json(await send("GET", `/skills/${skill}/files?limit=2`, { token: ADMIN }), 200);
    expect(first.items.map((f: any) => f.name)).toEqual(["a.md", "b.md"]);
    expect(first.nextCursor).toBe("b.md");
    const second = await json(await send("GET", `/skills/${skill}/files?limit=2&cursor=${first.nextCursor}`, { token: ADMIN }), 200);
    expect(second.items.map((f: any) => f.name)).toEqual(["c.md"]);
    expect(second.nextCursor).toBeNull();
  });

  it("delete removes the object; a missing file or skill is 404", async () => {
    const skill = await newSkill();
    await json(await send("PUT", `/skills/${skill}/files/old.md`, { token: ADMIN, body: "x" }), 201);
    expect((await send("DELETE", `/skills/${skill}/files/old.md`, { token: ADMIN })).status).toBe(204);
    expect(await testEnv.FILES.head(`skills/${skill}/old.md`)).toBeNull();
    await problem(await send("DELETE", `/skills/${skill}/files/old.md`, { token: ADMIN }), 404);
    await problem(await send("GET", `/skills/${skill}/files/old.md`, { token: ADMIN }), 404);
    const ghost = uniq("no-skill");
    await problem(await send("PUT", `/skills/${ghost}/files/SKILL.md`, { token: ADMIN, body: "x" }), 404);
    await problem(await send("GET", `/skills/${ghost}/files`, { token: ADMIN }), 404);
  });

  it("is admin-only", async () => {
    const skill = await newSkill();
    const u = await createUser();
    await problem(await send("PUT", `/skills/${skill}/files/SKILL.md`, { token: u.key, body: "pwned" }), 403);
    await problem(await send("GET", `/skills/${skill}/files`, { token: u.key }), 403);
    await problem(await send("PUT", `/skills/${skill}/files/SKILL.md`, { body: "pwned" }), 401);
    expect(await testEnv.FILES.head(`skills/${skill}/SKILL.md`)).toBeNull();
  });

  it("refuses a skill whose s3Key is not a folder of its own (outputs/, clients/, the bucket root) with 409", async () => {
    for (const s3Key of ["outputs/x/", "clients/", "SKILL.md"]) {
      const skill = uniq("files-bad");
      await upsertSkill(skill, { s3Key });
      await problem(await send("PUT", `/skills/${skill}/files/SKILL.md`, { token: ADMIN, body: "x" }), 409);
    }
  });
});

describe("file names, sizes and types", () => {
  it("a name that is not one safe path segment is a 400 naming path.file, and nothing is written", async () => {
    const skill = await newSkill();
    // (a bare `..` or `%2E%2E` segment never gets here: the URL is normalised before routing)
    for (const bad of ["..%2F..%2Fclients%2Fx", "a..b", "x..", ".env", "a%20b", "a%2Fb", "%C3%A9.md", "x".repeat(129)]) {
      const res = await problem(await send("PUT", `/skills/${skill}/files/${bad}`, { token: ADMIN, body: "x" }), 400);
      expect([...new Set(fieldPaths(res))]).toEqual(["path.file"]);
    }
    // a/b is another route shape altogether
    expect((await send("PUT", `/skills/${skill}/files/a/b`, { token: ADMIN, body: "x" })).status).toBe(404);
    expect((await testEnv.FILES.list({ prefix: `skills/${skill}/` })).objects).toEqual([]);
  });

  it("a body over MARKETING_FILE_MAX_BYTES is a 413, by Content-Length or as streamed without one; at the limit it is stored", async () => {
    const skill = await newSkill();
    const vars = { MARKETING_FILE_MAX_BYTES: "1000" };
    const declared = await problem(await send("PUT", `/skills/${skill}/files/big.md`, { token: ADMIN, body: "a".repeat(1001), vars }), 413);
    expect(declared.type).toBe("/problems/payload-too-large");
    await problem(await send("PUT", `/skills/${skill}/files/big.md`, { token: ADMIN, body: streamed(1001), vars }), 413);
    expect(await testEnv.FILES.head(`skills/${skill}/big.md`)).toBeNull();
    const ok = await json(await send("PUT", `/skills/${skill}/files/big.md`, { token: ADMIN, body: streamed(1000), vars }), 201);
    expect(ok.size).toBe(1000);
    expect((await testEnv.FILES.head(`skills/${skill}/big.md`))!.size).toBe(1000);
  });

  it("a Content-Type that is not a media type is a 400", async () => {
    const skill = await newSkill();
    const res = await problem(await send("PUT", `/skills/${skill}/files/x.md`, { token: ADMIN, body: "x", type: "not a type" }), 400);
    expect(fieldPaths(res)).toEqual(["header.content-type"]);
  });

  it("a failing or stalled file store answers 503 (Retry-After), not 500", async () => {
    const skill = await newSkill();
    const failing = {
      head: async () => {
        throw new Error("R2 down");
      },
      list: async () => {
        throw new Error("R2 down");
      },
    } as unknown as R2Bucket;
    const stalled = { head: () => new Promise(() => {}), get: () => new Promise(() => {}) } as unknown as R2Bucket;
    const down = await problem(
      await send("PUT", `/skills/${skill}/files/x.md`, { token: ADMIN, body: "x", vars: { FILES: failing } }),
      503,
    );
    expect(down.detail).not.toContain("R2 down");
    await problem(await send("GET", `/skills/${skill}/files`, { token: ADMIN, vars: { FILES: failing } }), 503);
    const slow = await send("GET", `/skills/${skill}/files/x.md`, { token: ADMIN, vars: { FILES: stalled, R2_TIMEOUT_MS: "200" } });
    expect(slow.headers.get("retry-after")).not.toBeNull();
    await problem(slow, 503);
    await problem(
      await send("PUT", `/skills/${skill}/files/x.md`, { token: ADMIN, body: "x", vars: { FILES: stalled, R2_TIMEOUT_MS: "200" } }),
      503,
    );
  });
});

describe("client files (owner)", () => {
  let owner: TestUser;
  let other: TestUser;
  beforeEach(async () => {
    owner = await createUser();
    other = await createUser();
  });

  it("the owner puts, lists, reads and deletes files under the client's s3Prefix", async () => {
    const client = await createClient(owner, uniq("Acme"));
    const put = await json(
      await send("PUT", `/clients/${client.id}/context/files/brand.md`, { token: owner.key, body: "Anvils.", type: md }),
      201,
    );
    expect(put).toMatchObject({ name: "brand.md", size: 7, contentType: md });
    const obj = await testEnv.FILES.get(`${client.s3Prefix}brand.md`);
    expect(await obj!.text()).toBe("Anvils.");
    const list = await json(await send("GET", `/clients/${client.id}/context/files`, { token: owner.key }), 200);
    expect(list.items.map((f: any) => f.name)).toEqual(["brand.md"]);
    const got = await send("GET", `/clients/${client.id}/context/files/brand.md`, { token: owner.key });
    expect(got.headers.get("content-type")).toBe(md);
    expect(await got.text()).toBe("Anvils.");
    expect((await send("DELETE", `/clients/${client.id}/context/files/brand.md`, { token: owner.key })).status).toBe(204);
    expect(await testEnv.FILES.head(`${client.s3Prefix}brand.md`)).toBeNull();
  });

  it("another user's client answers 404 on every file route, and nothing is written or removed", async () => {
    const client = await createClient(owner, uniq("Acme"));
    await json(await send("PUT", `/clients/${client.id}/context/files/brand.md`, { token: owner.key, body: "mine" }), 201);
    await problem(await send("PUT", `/clients/${client.id}/context/files/brand.md`, { token: other.key, body: "theirs" }), 404);
    await problem(await send("PUT", `/clients/${client.id}/context/files/new.md`, { token: other.key, body: "theirs" }), 404);
    await problem(await send("GET", `/clients/${client.id}/context/files`, { token: other.key }), 404);
    await problem(await send("GET", `/clients/${client.id}/context/files/brand.md`, { token: other.key }), 404);
    await problem(await send("DELETE", `/clients/${client.id}/context/files/brand.md`, { token: other.key }), 404);
    expect(await (await testEnv.FILES.get(`${client.s3Prefix}brand.md`))!.text()).toBe("mine");
    expect(await testEnv.FILES.head(`${client.s3Prefix}new.md`)).toBeNull();
    await problem(await send("GET", `/clients/${crypto.randomUUID()}/context/files`, { token: owner.key }), 404);
    await problem(await send("GET", "/clients/not-a-uuid/context/files", { token: owner.key }), 400);
  });
});

describe("the executor reads the files the routes wrote", () => {
  it("SKILL.md and RULES.md of the skill and the client's text files reach the model's prompt; a non-text file does not", async () => {
    await chatApi.rules([{ match: "fake/marketing-writer", content: "# Done" }]);
    const u = await createUser();
    const skill = await newSkill();
    const client = await createClient(u, uniq("Acme"));
    await json(await send("PUT", `/skills/${skill}/files/SKILL.md`, { token: ADMIN, body: "Write like a poet.", type: md }), 201);
    await json(await send("PUT", `/skills/${skill}/files/RULES.md`, { token: ADMIN, body: "Rhyme every line.", type: md }), 201);
    await json(await send("PUT", `/skills/${skill}/files/chart.png`, { token: ADMIN, body: "PNG-BYTES-NOT-TEXT", type: "image/png" }), 201);
    await json(
      await send("PUT", `/clients/${client.id}/context/files/voice.md`, { token: u.key, body: "Acme speaks softly.", type: md }),
      201,
    );

    const q = capturingQueue();
    const run = await json(
      await callWith({ JOBS: q.binding }, "POST", "/runs", {
        token: u.key,
        body: { skill, clientId: client.id, userMessage: "An ode to anvils", execute: true },
      }),
      201,
    );
    const batch = createMessageBatch("edge-backend-jobs", [{ id: "m0", timestamp: new Date(), attempts: 1, body: q.sent[0] }]);
    await worker.queue(batch, testEnv);

    expect((await json(await callWith({}, "GET", `/runs/${run.id}`, { token: u.key }), 200)).status).toBe("completed");
    const { calls } = await chatApi.calls();
    expect(calls).toHaveLength(1);
    const prompt = calls[0]!.messages.map((m) => m.content).join("\n");
    expect(prompt).toContain("Write like a poet.");
    expect(prompt).toContain("Rhyme every line.");
    expect(prompt).toContain("Acme speaks softly.");
    expect(prompt).not.toContain("PNG-BYTES-NOT-TEXT");
    expect(prompt.indexOf("Write like a poet.")).toBeLessThan(prompt.indexOf("Rhyme every line."));
  });
});
