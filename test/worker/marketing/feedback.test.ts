import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, createRun, createUser, fieldPaths, json, problem, type TestUser, upsertSkill } from "./helpers";
import { uniq } from "../helpers";

async function newOutput(u: TestUser, skill: string): Promise<string> {
  const run = await createRun(u, skill);
  return (await json(await call("POST", `/runs/${run.id}/outputs`, { token: u.key, body: { content: "# Out" } }), 201)).id;
}

const give = (u: TestUser, outputId: string, body: Record<string, unknown>) =>
  call("POST", `/outputs/${outputId}/feedback`, { token: u.key, body: { source: "web", ...body } });

describe("marketing feedback", () => {
  let ana: TestUser;
  let bob: TestUser;
  const skill = uniq("fb-skill");
  beforeAll(async () => {
    ana = await createUser();
    bob = await createUser();
    await upsertSkill(skill);
  });

  it("records one feedback per output with the seed's JSON shapes (201 + Location); a second is 409", async () => {
    const outputId = await newOutput(ana, skill);
    const body = {
      overallScore: 4,
      accuracyScore: 5,
      qualityScore: 3,
      usefulnessScore: 4,
      ruleComplianceScore: 2,
      whatWorkedWell: "Clear headline",
      issues: [
        { description: "CTA is vague", severity: "medium", suggestedFix: "Say what happens next" },
        { description: "Too long", severity: "low" },
      ],
      suggestedRuleChanges: [
        { file: ".claude/skills/copywriting/RULES.md", suggestedChange: "Cap headlines at 10 words", rationale: "Scannability" },
      ],
      source: "telegram",
      reviewerName: "Yaz",
    };
    const res = await give(ana, outputId, body);
    const fb = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/outputs/${outputId}/feedback`);
    expect(fb).toMatchObject({ ...body, outputId });
    const [row] = await sql<any>(
      "SELECT overall_score, rule_compliance_score, issues, suggested_rule_changes, source, reviewer_name FROM marketing.feedback WHERE output_id = $1",
      [outputId],
    );
    expect(row).toEqual({
      overall_score: 4,
      rule_compliance_score: 2,
      issues: body.issues,
      suggested_rule_changes: body.suggestedRuleChanges,
      source: "telegram",
      reviewer_name: "Yaz",
    });
    expect(await json(await call("GET", `/outputs/${outputId}/feedback`, { token: ana.key }), 200)).toEqual(fb);

    await problem(await give(ana, outputId, { overallScore: 1 }), 409);
    expect(await sql("SELECT id FROM marketing.feedback WHERE output_id = $1", [outputId])).toHaveLength(1);
  });

  it("only overallScore is required; absent lists are stored as []", async () => {
    const outputId = await newOutput(ana, skill);
    const fb = await json(await give(ana, outputId, { overallScore: 5, source: "api" }), 201);
    expect(fb).toMatchObject({
      overallScore: 5,
      accuracyScore: null,
      issues: [],
      suggestedRuleChanges: [],
      reviewerName: null,
      source: "api",
    });
  });

  it("bad input is 400 naming each field: scores 1–5, the issue and rule-change shapes, the source", async () => {
    const outputId = await newOutput(ana, skill);
    const a = await problem(await give(ana, outputId, { overallScore: 6, accuracyScore: 0, qualityScore: 2.5, source: "email" }), 400);
    expect(fieldPaths(a).sort()).toEqual(["body.accuracyScore", "body.overallScore", "body.qualityScore", "body.source"]);
    const b = await problem(
      await give(ana, outputId, {
        overallScore: 3,
        issues: [
          { description: "ok", severity: "low" },
          { description: "", severity: "critical" },
        ],
        suggestedRuleChanges: [{ file: "RULES.md", suggestedChange: "x" }],
      }),
      400,
    );
    expect(fieldPaths(b).sort()).toEqual(["body.issues.1.description", "body.issues.1.severity", "body.suggestedRuleChanges.0.rationale"]);
    const c = await problem(await give(ana, outputId, { source: "web" }), 400);
    expect(fieldPaths(c)).toEqual(["body.overallScore"]);
    expect(await sql("SELECT 1 FROM marketing.feedback WHERE output_id = $1", [outputId])).toEqual([]);
  });

  it("another user's output is 404 to rate or read; an unknown output 404; no feedback yet 404", async () => {
    const outputId = await newOutput(ana, skill);
    await problem(await give(bob, outputId, { overallScore: 1 }), 404);
    await problem(await call("GET", `/outputs/${outputId}/feedback`, { token: bob.key }), 404);
    await problem(await call("GET", `/outputs/${outputId}/feedback`, { token: ana.key }), 404);
    await problem(await give(ana, "00000000-0000-4000-8000-000000000000", { overallScore: 1 }), 404);
    expect(fieldPaths(await problem(await give(ana, "bad-id", { overallScore: 1 }), 400))).toEqual(["path.id"]);
    expect(await sql("SELECT 1 FROM marketing.feedback WHERE output_id = $1", [outputId])).toEqual([]);
  });

  describe("skill feedback summary", () => {
    const summarySkill = uniq("sum-skill");
    let u: TestUser;
    beforeAll(async () => {
      u = await createUser();
      await upsertSkill(summarySkill);
      const scores = [
        { overallScore: 5, accuracyScore: 4, qualityScore: 3 },
        { overallScore: 3, accuracyScore: 2, usefulnessScore: 4 },
        { overallScore: 4, qualityScore: 5, usefulnessScore: 5 },
        { overallScore: 2, accuracyScore: 5, qualityScore: 4, usefulnessScore: 2 },
      ];
      for (const s of scores) await json(await give(u, await newOutput(u, summarySkill), s), 201);
      // 40 days old: outside the default window
      const old = await json(
        await give(u, await newOutput(u, summarySkill), { overallScore: 1, accuracyScore: 1, qualityScore: 1, usefulnessScore: 1 }),
        201,
      );
      await sql("UPDATE marketing.feedback SET created_at = now() - interval '40 days' WHERE id = $1", [old.id]);
      // someone else's feedback on the same skill, and this user's feedback on another skill: never counted
      const other = await createUser();
      await json(await give(other, await newOutput(other, summarySkill), { overallScore: 1, accuracyScore: 1 }), 201);
      await json(await give(u, await newOutput(u, skill), { overallScore: 1 }), 201);
    });

    it("averages overall, accuracy, quality and usefulness over the last 30 days, with the count", async () => {
      const s = await json(await call("GET", `/skills/${summarySkill}/feedback-summary`, { token: u.key }), 200);
      expect(s).toMatchObject({ skill: summarySkill, days: 30, count: 4 });
      expect(s.avgOverall).toBeCloseTo((5 + 3 + 4 + 2) / 4, 10); // 3.5
      expect(s.avgAccuracy).toBeCloseTo((4 + 2 + 5) / 3, 10); // 3.666…
      expect(s.avgQuality).toBeCloseTo((3 + 5 + 4) / 3, 10); // 4
      expect(s.avgUsefulness).toBeCloseTo((4 + 5 + 2) / 3, 10); // 3.666…
      expect(Math.abs(new Date(s.since).getTime() - (Date.now() - 30 * 86_400_000))).toBeLessThan(60_000);
    });

    it("widens the window with ?days", async () => {
      const s = await json(await call("GET", `/skills/${summarySkill}/feedback-summary?days=60`, { token: u.key }), 200);
      expect(s).toMatchObject({ days: 60, count: 5 });
      expect(s.avgOverall).toBeCloseTo((5 + 3 + 4 + 2 + 1) / 5, 10); // 3
      expect(s.avgAccuracy).toBeCloseTo((4 + 2 + 5 + 1) / 4, 10); // 3
      expect(s.avgQuality).toBeCloseTo((3 + 5 + 4 + 1) / 4, 10); // 3.25
      expect(s.avgUsefulness).toBeCloseTo((4 + 5 + 2 + 1) / 4, 10); // 3
    });

    it("a skill without feedback gives count 0 and null averages; an unknown skill is 404; bad days 400", async () => {
      const quiet = uniq("quiet-skill");
      await upsertSkill(quiet);
      expect(await json(await call("GET", `/skills/${quiet}/feedback-summary`, { token: u.key }), 200)).toMatchObject({
        count: 0,
        avgOverall: null,
        avgAccuracy: null,
        avgQuality: null,
        avgUsefulness: null,
      });
      await problem(await call("GET", `/skills/${uniq("no-such")}/feedback-summary`, { token: u.key }), 404);
      expect(fieldPaths(await problem(await call("GET", `/skills/${quiet}/feedback-summary?days=0`, { token: u.key }), 400))).toEqual([
        "query.days",
      ]);
    });
  });
});
