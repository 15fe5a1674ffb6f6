import { beforeAll, describe, expect, it } from "vitest";
import { sql, testEnv } from "../helpers";
import { call, createClient, createRun, createUser, fieldPaths, json, problem, type TestUser, upsertSkill } from "./helpers";
import { redis, uniq } from "../helpers";
import { callWith } from "./llm";

const MAX = 512 * 1024;
const files = () => testEnv.FILES;
const keysUnder = async (prefix: string) => (await files().list({ prefix })).objects.map((o) => o.key);

describe("marketing outputs in R2", () => {
  let ana: TestUser;
  let bob: TestUser;
  const skill = uniq("out-skill");
  const prefix = `outputs/${skill}/`;
  beforeAll(async () => {
    ana = await createUser();
    bob = await createUser();
    await upsertSkill(skill);
  });

  it("stores the content in R2 under the seed's key pattern and the metadata in the row (201 + Location)", async () => {
    const client = await createClient(ana, uniq("Acme Out"));
    const run = await createRun(ana, skill, { clientId: client.id });
    const content = `# Héadline\n\n${"é".repeat(600)}`;
    const res = await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { title: "Homepage", content } });
    const out = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/outputs/${out.id}`);
    const date = new Date(out.createdAt).toISOString().slice(0, 10);
    expect(out.s3Key).toBe(`outputs/${skill}/${client.slug}-markdown-${date}-${out.id}.md`);
    expect(out).toMatchObject({
      runId: run.id,
      format: "markdown",
      title: "Homepage",
      preview: content.slice(0, 500),
      sizeBytes: new TextEncoder().encode(content).byteLength,
    });
    expect(out.sizeBytes).toBeGreaterThan(content.length);

    const [row] = await sql<any>("SELECT run_id, s3_key, format, title, preview, size_bytes FROM marketing.outputs WHERE id = $1", [
      out.id,
    ]);
    expect(row).toEqual({
      run_id: run.id,
      s3_key: out.s3Key,
      format: "markdown",
      title: "Homepage",
      preview: content.slice(0, 500),
      size_bytes: out.sizeBytes,
    });
    const object = await files().get(out.s3Key);
    expect(await object!.text()).toBe(content);
    expect(object!.httpMetadata?.contentType).toBe("text/markdown; charset=utf-8");
    expect(object!.customMetadata).toEqual({ runId: run.id, outputId: out.id });

    const withOutputs = await json(await call("GET", `/runs/${run.id}`, { token: ana.key }), 200);
    expect(withOutputs.outputs.map((o: any) => o.id)).toEqual([out.id]);
  });

  it("names a run without client `none`, and keeps every output's key unique", async () => {
    const run = await createRun(ana, skill);
    const a = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "a" } }), 201);
    const b = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "b" } }), 201);
    expect(a.s3Key).toMatch(new RegExp(`^outputs/${skill}/none-markdown-\\d{4}-\\d{2}-\\d{2}-${a.id}\\.md$`));
    expect(a.s3Key).not.toBe(b.s3Key);
    expect(a.title).toBeNull();
  });

  it("serves metadata, and streams the content back with the format's content type", async () => {
    const run = await createRun(ana, skill);
    const cases = [
      { format: "markdown", content: "# Hi", type: "text/markdown; charset=utf-8", ext: "md" },
      { format: "json", content: '{"headline":"Hi","ctas":["Buy"]}', type: "application/json; charset=utf-8", ext: "json" },
      { format: "html", content: "<h1>Hi</h1>", type: "text/html; charset=utf-8", ext: "html" },
    ];
    for (const cse of cases) {
      const out = await json(
        await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { format: cse.format, content: cse.content } }),
        201,
      );
      expect(out.s3Key.endsWith(`.${cse.ext}`)).toBe(true);
      expect(out.s3Key).toContain(`-${cse.format}-`);
      expect(await json(await call("GET", `/outputs/${out.id}`, { token: ana.key }), 200)).toEqual(out);
      const res = await call("GET", `/outputs/${out.id}/content`, { token: ana.key });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(cse.type);
      expect(res.headers.get("content-length")).toBe(String(cse.content.length));
      expect(await res.text()).toBe(cse.content);
    }
  });

  it("keeps the preview to 500 characters without splitting a surrogate pair", async () => {
    const run = await createRun(ana, skill);
    const content = "😀".repeat(600);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content } }), 201);
    expect(Array.from(out.preview)).toHaveLength(500);
    expect(out.preview).toBe("😀".repeat(500));
    expect(out.sizeBytes).toBe(2400);
  });

  it("accepts content up to 512 KiB and refuses more with 413, writing nothing", async () => {
    const run = await createRun(ana, skill);
    const ok = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "x".repeat(MAX) } }), 201);
    expect(ok.sizeBytes).toBe(MAX);
    const before = await keysUnder(prefix);
    const big = await problem(
      await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "é".repeat(MAX / 2 + 1) } }),
      413,
    );
    expect(fieldPaths(big)).toEqual(["body.content"]);
    expect(await keysUnder(prefix)).toEqual(before);
  });

  it("bad input is 400 naming the field: unknown format, empty content, JSON that does not parse", async () => {
    const run = await createRun(ana, skill);
    const a = await problem(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { format: "pdf", content: "" } }), 400);
    expect(fieldPaths(a).sort()).toEqual(["body.content", "body.format"]);
    const b = await problem(
      await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { format: "json", content: "{nope" } }),
      400,
    );
    expect(fieldPaths(b)).toEqual(["body.content"]);
    expect(fieldPaths(await problem(await call("POST", "/runs/nope/outputs", { token: ana.key, body: { content: "x" } }), 400))).toEqual([
      "path.id",
    ]);
  });

  it("another user's run or output is 404, and nothing reaches R2", async () => {
    const run = await createRun(ana, skill);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "mine" } }), 201);
    const before = await keysUnder(prefix);
    await problem(await call("POST", `/runs/${run.id}/outputs`, { token: bob.key, body: { content: "not yours" } }), 404);
    await problem(await call("GET", `/outputs/${out.id}`, { token: bob.key }), 404);
    await problem(await call("GET", `/outputs/${out.id}/content`, { token: bob.key }), 404);
    await problem(
      await call("POST", "/runs/00000000-0000-4000-8000-000000000000/outputs", { token: ana.key, body: { content: "x" } }),
      404,
    );
    expect(await keysUnder(prefix)).toEqual(before);
  });

  it("works when the run's naming parts are not cached (reads the run first)", async () => {
    const client = await createClient(ana, uniq("Cold Client"));
    const run = await createRun(ana, skill, { clientId: client.id });
    await redis().del(`marketing:run-key:${run.id}`);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "cold" } }), 201);
    expect(out.s3Key.startsWith(`outputs/${skill}/${client.slug}-markdown-`)).toBe(true);
    expect(await redis().get(`marketing:run-key:${run.id}`)).toEqual({ userId: ana.id, skill, client: client.slug });
  });

  it("answers 404 when the object is missing from R2", async () => {
    const run = await createRun(ana, skill);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "soon gone" } }), 201);
    await files().delete(out.s3Key);
    await problem(await call("GET", `/outputs/${out.id}/content`, { token: ana.key }), 404);
  });

  describe("no orphans: when the row cannot be written, the R2 object is removed", () => {
    it("the insert fails in Postgres (a constraint arranged for this test)", async () => {
      const run = await createRun(ana, skill);
      const orphanSkill = prefix;
      const before = await keysUnder(orphanSkill);
      await sql("ALTER TABLE marketing.outputs ADD CONSTRAINT orphan_probe CHECK (title IS DISTINCT FROM 'orphan-probe') NOT VALID");
      try {
        const res = await call("POST", `/runs/${run.id}/outputs`, {
          token: ana.key,
          body: { title: "orphan-probe", content: "never stored" },
        });
        expect(res.status).toBe(400);
      } finally {
        await sql("ALTER TABLE marketing.outputs DROP CONSTRAINT orphan_probe");
      }
      expect(await keysUnder(orphanSkill)).toEqual(before);
      expect(await sql("SELECT 1 FROM marketing.outputs WHERE run_id = $1", [run.id])).toEqual([]);
    });

    it("the run is deleted between the R2 write and the insert (its naming parts still cached)", async () => {
      const run = await createRun(ana, skill);
      await sql("DELETE FROM marketing.runs WHERE id = $1", [run.id]);
      const before = await keysUnder(prefix);
      await problem(await call("POST", `/runs/${run.id}/outputs`, { token: ana.key, body: { content: "for a run that is gone" } }), 404);
      expect(await keysUnder(prefix)).toEqual(before);
    });
  });

  it("HTML content is served nosniff, sandboxed by CSP and as an attachment; markdown inline", async () => {
    const u = await createUser();
    const run = await createRun(u, skill);
    const html = await json(
      await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { format: "html", content: "<script>alert(1)</script>" } }),
      201,
    );
    const res = await call("GET", `/outputs/${html.id}/content`, { token: u.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/^sandbox;.*default-src 'none'/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${html.id}.html"`);
    expect(await res.text()).toBe("<script>alert(1)</script>");
    const md = await json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# hi" } }), 201);
    const mdRes = await call("GET", `/outputs/${md.id}/content`, { token: u.key });
    expect(mdRes.headers.get("x-content-type-options")).toBe("nosniff");
    expect(mdRes.headers.get("content-disposition")).toBe(`inline; filename="${md.id}.md"`);
    await mdRes.arrayBuffer();
  });

  it("a retry with the same Idempotency-Key stores one output, also when the first attempt got a 503 from the file store", async () => {
    const u = await createUser();
    const run = await createRun(u, skill);
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const failing = {
      put: async () => {
        throw new Error("R2 down");
      },
    } as unknown as R2Bucket;
    const body = { content: "# exactly once" };
    await problem(await callWith({ FILES: failing }, "POST", `/runs/${run.id}/outputs`, { token: u.key, body, headers }), 503);
    const first = await json(await callWith({}, "POST", `/runs/${run.id}/outputs`, { token: u.key, body, headers }), 201);
    const again = await callWith({}, "POST", `/runs/${run.id}/outputs`, { token: u.key, body, headers });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await json(again, 201)).id).toBe(first.id);
    const rows = await sql<{ id: string; status: string }>(`SELECT id, status FROM marketing.outputs WHERE run_id = $1 ORDER BY status`, [
      run.id,
    ]);
    // the failed attempt's row stays pending (unseen; the pending sweep removes it), one stored output
    expect(rows.map((r) => r.status)).toEqual(["pending", "stored"]);
    expect(rows[1]!.id).toBe(first.id);
    expect((await json(await call("GET", `/runs/${run.id}`, { token: u.key }), 200)).outputs.map((o: any) => o.id)).toEqual([first.id]);
  });

  it("a stalled file store answers the content route 503 with Retry-After", async () => {
    const u = await createUser();
    const run = await createRun(u, skill);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# slow" } }), 201);
    const stalled = { get: () => new Promise(() => {}) } as unknown as R2Bucket;
    const res = await callWith({ FILES: stalled, R2_TIMEOUT_MS: "200" }, "GET", `/outputs/${out.id}/content`, { token: u.key });
    expect(res.headers.get("retry-after")).not.toBeNull();
    await problem(res, 503);
  });
});
