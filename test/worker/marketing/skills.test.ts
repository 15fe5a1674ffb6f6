import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { ADMIN, call, createUser, fieldPaths, json, problem, skillBody, type TestUser, upsertSkill } from "./helpers";
import { uniq } from "../helpers";

describe("marketing skills", () => {
  let u: TestUser;
  const tag = uniq("sk").replace("-", "");
  const n = (name: string) => `${tag}-${name}`;
  beforeAll(async () => {
    u = await createUser();
  });

  it("admin upsert by name: 201 + Location on create, 200 on update; fields left out keep their value, updatedAt moves", async () => {
    const name = n("copywriting");
    const res = await call("PUT", `/skills/${name}`, {
      token: ADMIN,
      body: skillBody({ type: "with_rules", hasRules: true, relatedSkills: ["copy-editing"] }),
    });
    const created = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/skills/${name}`);
    expect(created).toMatchObject({
      name,
      type: "with_rules",
      hasRules: true,
      hasSubdirectories: false,
      relatedSkills: ["copy-editing"],
      triggerKeywords: ["test keyword"],
    });

    const upd = await call("PUT", `/skills/${name}`, {
      token: ADMIN,
      body: { description: "New", type: "complex", s3Key: "skills/c/", triggerKeywords: ["headline"] },
    });
    const updated = await json(upd, 200);
    expect(updated).toMatchObject({
      id: created.id,
      description: "New",
      type: "complex",
      s3Key: "skills/c/",
      triggerKeywords: ["headline"],
      hasRules: true,
      relatedSkills: ["copy-editing"],
    });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(created.updatedAt).getTime());
    expect(updated.createdAt).toBe(created.createdAt);
    const rows = await sql("SELECT description, type, has_rules, trigger_keywords FROM marketing.skills WHERE name = $1", [name]);
    expect(rows).toEqual([{ description: "New", type: "complex", has_rules: true, trigger_keywords: ["headline"] }]);
  });

  it("upsert is admin-only and validates its body and name", async () => {
    await problem(await call("PUT", `/skills/${n("x")}`, { token: u.key, body: skillBody() }), 403);
    await problem(await call("PUT", `/skills/${n("x")}`, { body: skillBody() }), 401);
    const bad = await problem(
      await call("PUT", `/skills/${n("x")}`, { token: ADMIN, body: { description: "", type: "hard", s3Key: "k", triggerKeywords: [] } }),
      400,
    );
    expect(fieldPaths(bad).sort()).toEqual(["body.description", "body.triggerKeywords", "body.type"]);
    const badName = await problem(await call("PUT", "/skills/Not_A_Name", { token: ADMIN, body: skillBody() }), 400);
    expect(fieldPaths(badName)).toEqual(["path.name"]);
  });

  it("gets a skill by name; an unknown name is 404", async () => {
    const name = n("get");
    await upsertSkill(name, { description: "Get me" });
    expect(await json(await call("GET", `/skills/${name}`, { token: u.key }), 200)).toMatchObject({ name, description: "Get me" });
    await problem(await call("GET", `/skills/${n("missing")}`, { token: u.key }), 404);
    await problem(await call("GET", `/skills/${name}`), 401);
  });

  it("lists skills filtered by type, paginated, by name ascending by default", async () => {
    for (const [name, type] of [
      ["b", "complex"],
      ["a", "complex"],
      ["c", "complex"],
      ["d", "simple"],
    ] as const) {
      await upsertSkill(n(`list-${name}`), { type });
    }
    const p1 = await json(await call("GET", `/skills?type=complex&q=${tag}-list&pageSize=2`, { token: u.key }), 200);
    expect(p1.items.map((s: any) => s.name)).toEqual([n("list-a"), n("list-b")]);
    expect(p1).toMatchObject({ page: 1, pageSize: 2, hasNext: true });
    const p2 = await json(await call("GET", `/skills?type=complex&q=${tag}-list&pageSize=2&page=2`, { token: u.key }), 200);
    expect(p2.items.map((s: any) => s.name)).toEqual([n("list-c")]);
    expect(p2.hasNext).toBe(false);
    const simple = await json(await call("GET", `/skills?type=simple&q=${tag}-list`, { token: u.key }), 200);
    expect(simple.items.map((s: any) => s.name)).toEqual([n("list-d")]);
    const bad = await problem(await call("GET", "/skills?type=hard", { token: u.key }), 400);
    expect(fieldPaths(bad)).toEqual(["query.type"]);
  });

  describe("match", () => {
    const kw = (s: string) => `${s} ${tag}`; // keywords unique to this run, so other suites' skills never match
    beforeAll(async () => {
      await upsertSkill(n("m-copy"), {
        description: "Copy",
        triggerKeywords: [kw("headline"), kw("landing page copy"), "CTA"],
        relatedSkills: [n("m-edit"), "does-not-exist", n("m-email")],
      });
      await upsertSkill(n("m-edit"), { description: "Edit", triggerKeywords: [kw("edit"), kw("headline")] });
      await upsertSkill(n("m-email"), { description: "Email", triggerKeywords: [kw("email sequence"), kw("welcome email sequence")] });
    });

    const match = async (message: string, limit?: number) =>
      (await json(await call("POST", "/skills/match", { token: u.key, body: { message, limit } }), 200)).items.filter((m: any) =>
        m.skill.name.startsWith(`${tag}-m-`),
      );

    it("ranks the most specific phrase first, case- and punctuation-insensitively, with related skills", async () => {
      const items = await match(`Please write LANDING-PAGE copy ${tag}, and a headline ${tag}!`, 10);
      expect(items.map((m: any) => m.skill.name)).toEqual([n("m-copy"), n("m-edit")]);
      expect(items[0].matchedKeywords).toEqual([kw("landing page copy"), kw("headline")]);
      expect(items[0].specificity).toBe(4);
      expect(items[0].related).toEqual([
        { name: n("m-edit"), description: "Edit" },
        { name: n("m-email"), description: "Email" },
      ]);
      expect(items[1].matchedKeywords).toEqual([kw("headline")]);
    });

    it("prefers the longer phrase between skills, matches whole words only, and honours the limit", async () => {
      const items = await match(`we need a welcome email sequence ${tag} and an edit ${tag}`, 10);
      expect(items.map((m: any) => m.skill.name)).toEqual([n("m-email"), n("m-edit")]);
      expect(items[0].matchedKeywords[0]).toBe(kw("welcome email sequence"));
      expect(await match(`headlines ${tag}`)).toEqual([]); // "headline" is not a whole word of "headlines"
      expect(await match(`an edit ${tag} of a headline ${tag}`, 1)).toHaveLength(1);
    });

    it("validates the body", async () => {
      const bad = await problem(await call("POST", "/skills/match", { token: u.key, body: { message: " ", limit: 50 } }), 400);
      expect(fieldPaths(bad).sort()).toEqual(["body.limit", "body.message"]);
    });
  });
});
