/** Bounded input: every free-text field that reaches a prompt has a size limit (functions/blog/validation.ts INPUT_LIMITS). */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
// The helpers load the app (and with it @hono/zod-openapi's zod extension) before the module's schemas.
import { api, sql, testEnv, uniq } from "../helpers";
import { chatApi, jsonRequest, seedAgents } from "./helpers";
import { runGeneration } from "../../../functions/blog/jobs";
import { INPUT_LIMITS } from "../../../functions/blog/validation";
import { createLogger } from "../../../src/core/logger";

/** A JSON object whose JSON text is exactly `chars` characters long. */
const voiceOf = (chars: number) => {
  const v = { tone: "" };
  v.tone = "x".repeat(chars - JSON.stringify(v).length);
  return v;
};
const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return res.json<any>();
};

beforeAll(() => seedAgents());
beforeEach(() => chatApi.reset());

describe("session input limits", () => {
  it(`brandVoice: ${INPUT_LIMITS.brandVoiceChars} characters as JSON are taken, one more is a 400 naming the field; nothing is stored`, async () => {
    const marker = uniq("bound");
    const ok = await api(
      "/v1/blog/sessions",
      jsonRequest({ brandVoice: voiceOf(INPUT_LIMITS.brandVoiceChars), additionalInstructions: marker }),
    );
    expect(ok.status).toBe(201);
    const tooLong = uniq("bound");
    const body = await problem(
      await api(
        "/v1/blog/sessions",
        jsonRequest({ brandVoice: voiceOf(INPUT_LIMITS.brandVoiceChars + 1), additionalInstructions: tooLong }),
      ),
      400,
    );
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(["body.brandVoice"]);
    expect(await sql(`SELECT 1 FROM blog.blog_sessions WHERE additional_instructions = $1`, [tooLong])).toEqual([]);
    expect(await sql(`SELECT 1 FROM blog.blog_sessions WHERE additional_instructions = $1`, [marker])).toHaveLength(1);
  });

  it("additionalInstructions, storeUrl, dress ids: over the limit is a 400 on create and on patch; the draft is unchanged", async () => {
    const created = await api(
      "/v1/blog/sessions",
      jsonRequest({ additionalInstructions: "a".repeat(INPUT_LIMITS.additionalInstructions) }),
    );
    expect(created.status).toBe(201);
    const { id } = await created.json<any>();
    for (const [field, value] of [
      ["additionalInstructions", "a".repeat(INPUT_LIMITS.additionalInstructions + 1)],
      ["storeUrl", `https://store.example/${"p".repeat(INPUT_LIMITS.storeUrl)}`],
      ["selectedDressIds", ["d".repeat(INPUT_LIMITS.dressId + 1)]],
      ["selectedDressIds", Array.from({ length: INPUT_LIMITS.selectedDresses + 1 }, (_, i) => `d${i}`)],
      ["brandVoice", voiceOf(INPUT_LIMITS.brandVoiceChars + 1)],
    ] as const) {
      const onCreate = await problem(await api("/v1/blog/sessions", jsonRequest({ [field]: value })), 400);
      expect(onCreate.errors[0].path).toMatch(new RegExp(`^body\\.${field}`));
      const onPatch = await problem(await api(`/v1/blog/sessions/${id}`, jsonRequest({ [field]: value }, "PATCH")), 400);
      expect(onPatch.errors[0].path).toMatch(new RegExp(`^body\\.${field}`));
    }
    const [row] = await sql<{ n: number; voice: string | null }>(
      `SELECT length(additional_instructions) AS n, brand_voice AS voice FROM blog.blog_sessions WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ n: INPUT_LIMITS.additionalInstructions, voice: null });
  });

  it("POST /brand-voice refuses a URL over the limit", async () => {
    const body = await problem(
      await api("/v1/blog/brand-voice", jsonRequest({ url: `https://store.example/${"p".repeat(INPUT_LIMITS.storeUrl)}` })),
      400,
    );
    expect(body.errors[0].path).toBe("body.url");
    expect((await chatApi.calls()).count).toBe(0);
  });
});

describe("what reaches the prompts is bounded", () => {
  it("a stored brand voice, instructions and dress description written before the limits are cut to the limits in every prompt", async () => {
    const dress = uniq("bd");
    const tail = uniq("TAIL");
    await sql(
      `INSERT INTO blog.cached_dresses (external_id, name, description, expires_at) VALUES ($1, $1, $2, now() + interval '1 day')`,
      [dress, `${"d".repeat(50_000)}${tail}`],
    );
    const hugeVoice = JSON.stringify({ tone: `${"v".repeat(100_000)}${tail}` });
    const [row] = await sql<{ id: string }>(
      `INSERT INTO blog.blog_sessions (status, selected_dress_ids, brand_voice, additional_instructions, agent_log)
       VALUES ('generating', $1, $2, $3, '[]') RETURNING id`,
      [JSON.stringify([dress]), hugeVoice, `${"i".repeat(100_000)}${tail}`],
    );
    await chatApi.rules([{ match: "fake/blog-writer", status: 500 }]);
    await runGeneration(testEnv, row!.id, createLogger("error"));
    const { calls } = await chatApi.calls();
    expect(calls).toHaveLength(1);
    const prompt = calls[0].messages.map((m: { content: string }) => m.content).join("\n");
    expect(prompt).not.toContain(tail);
    expect(prompt).toContain("v".repeat(1000));
    expect(prompt).toContain("i".repeat(INPUT_LIMITS.additionalInstructions));
    expect(prompt).not.toContain("i".repeat(INPUT_LIMITS.additionalInstructions + 1));
    // brand voice + instructions + description, with JSON around them
    expect(prompt.length).toBeLessThan(INPUT_LIMITS.brandVoiceChars + INPUT_LIMITS.additionalInstructions + 2000 + 3000);
  });
});
