/** The seed's lookups: user by e-mail, client by slug, output by key, feedback by score and date; deleting an output. */
import { describe, expect, it } from "vitest";
import { sql, testEnv, uniq } from "../helpers";
import { ADMIN, call, createClient, createRun, createUser, json, problem, upsertSkill } from "./helpers";

async function outputWithFeedback(u: Awaited<ReturnType<typeof createUser>>, skill: string, score: number) {
  const run = await createRun(u, skill);
  const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: `# score ${score}` } }), 201);
  await json(await call("POST", `/outputs/${out.id}/feedback`, { token: u.key, body: { overallScore: score, source: "web" } }), 201);
  return out;
}

describe("marketing lookups", () => {
  it("admin finds a user by e-mail (404 unknown, 400 malformed, 403 for a user key)", async () => {
    const email = `${uniq("mail")}@example.com`;
    const u = await createUser(email);
    const got = await json(await call("GET", `/users/by-email?email=${encodeURIComponent(email)}`, { token: ADMIN }), 200);
    expect(got).toMatchObject({ id: u.id, email, channels: [] });
    await problem(await call("GET", `/users/by-email?email=${encodeURIComponent(`x${email}`)}`, { token: ADMIN }), 404);
    await problem(await call("GET", "/users/by-email?email=nope", { token: ADMIN }), 400);
    await problem(await call("GET", `/users/by-email?email=${encodeURIComponent(email)}`, { token: u.key }), 403);
  });

  it("a client by slug is the caller's own: another user with the same slug gets theirs, or 404", async () => {
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];
    const name = uniq("Same Name");
    const ca = await createClient(a, name);
    const cb = await createClient(b, name);
    expect(ca.slug).toBe(cb.slug);
    expect((await json(await call("GET", `/clients/by-slug/${ca.slug}`, { token: a.key }), 200)).id).toBe(ca.id);
    expect((await json(await call("GET", `/clients/by-slug/${ca.slug}`, { token: b.key }), 200)).id).toBe(cb.id);
    await problem(await call("GET", `/clients/by-slug/${ca.slug}`, { token: c.key }), 404);
    await problem(await call("GET", "/clients/by-slug/Not_A_Slug", { token: a.key }), 400);
  });

  it("an output by its R2 key, for its owner only", async () => {
    const skill = uniq("lk-skill");
    await upsertSkill(skill);
    const [a, b] = [await createUser(), await createUser()];
    const run = await createRun(a, skill);
    const out = await json(await call("POST", `/runs/${run.id}/outputs`, { token: a.key, body: { content: "# k" } }), 201);
    const key = encodeURIComponent(out.s3Key);
    expect(await json(await call("GET", `/outputs/by-key?key=${key}`, { token: a.key }), 200)).toEqual(out);
    await problem(await call("GET", `/outputs/by-key?key=${key}`, { token: b.key }), 404);
    await problem(await call("GET", "/outputs/by-key", { token: a.key }), 400);
  });

  it("lists the caller's feedback filtered by overall score and a date range", async () => {
    const skill = uniq("lk-skill");
    await upsertSkill(skill);
    const [a, b] = [await createUser(), await createUser()];
    const o2 = await outputWithFeedback(a, skill, 2);
    const o4 = await outputWithFeedback(a, skill, 4);
    const o5 = await outputWithFeedback(a, skill, 5);
    await outputWithFeedback(b, skill, 5);
    await sql(`UPDATE marketing.feedback SET created_at = '2026-01-10T12:00:00' WHERE output_id = $1`, [o2.id]);

    const all = await json(await call("GET", "/feedback", { token: a.key }), 200);
    expect(all.items.map((f: any) => f.outputId).sort()).toEqual([o2.id, o4.id, o5.id].sort());
    const high = await json(await call("GET", "/feedback?minScore=4&sortBy=overallScore&sortDirection=asc", { token: a.key }), 200);
    expect(high.items.map((f: any) => f.overallScore)).toEqual([4, 5]);
    const low = await json(await call("GET", `/feedback?maxScore=3&skill=${skill}`, { token: a.key }), 200);
    expect(low.items.map((f: any) => f.outputId)).toEqual([o2.id]);
    const january = await json(await call("GET", "/feedback?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", { token: a.key }), 200);
    expect(january.items.map((f: any) => f.outputId)).toEqual([o2.id]);
    const page = await json(await call("GET", "/feedback?pageSize=2", { token: a.key }), 200);
    expect(page.items).toHaveLength(2);
    expect(page.hasNext).toBe(true);
    await problem(await call("GET", "/feedback?minScore=5&maxScore=1", { token: a.key }), 400);
    await problem(await call("GET", "/feedback?minScore=9", { token: a.key }), 400);
    await problem(await call("GET", "/feedback?from=yesterday", { token: a.key }), 400);
  });

  it("deleting an output removes its row, its feedback and its R2 object; another user's is 404", async () => {
    const skill = uniq("lk-skill");
    await upsertSkill(skill);
    const [a, b] = [await createUser(), await createUser()];
    const out = await outputWithFeedback(a, skill, 3);
    expect(await testEnv.FILES.head(out.s3Key)).not.toBeNull();
    await problem(await call("DELETE", `/outputs/${out.id}`, { token: b.key }), 404);
    const res = await call("DELETE", `/outputs/${out.id}`, { token: a.key });
    expect(res.status).toBe(204);
    expect(await sql(`SELECT 1 FROM marketing.outputs WHERE id = $1`, [out.id])).toEqual([]);
    expect(await sql(`SELECT 1 FROM marketing.feedback WHERE output_id = $1`, [out.id])).toEqual([]);
    expect(await testEnv.FILES.head(out.s3Key)).toBeNull();
    await problem(await call("DELETE", `/outputs/${out.id}`, { token: a.key }), 404);
  });
});
