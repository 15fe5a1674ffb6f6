import type { AppRouteHandler } from "../../src/http/router";
import { and, eq, getTableColumns, ilike, or, sql } from "drizzle-orm";
import { containsPattern } from "../../src/db/like";
import { location } from "../../src/http/location";
import { orderAndPage, pageOf } from "../../src/http/pagination";
import { notFound } from "../../src/core/problem";
import { marketingDb } from "./db";
import { skills } from "./schema";
import { skillJson } from "./shapes";
import { rankSkills } from "./skill-match";
import type * as routes from "./skills.routes";

const sortColumns = { name: skills.name, createdAt: skills.createdAt, updatedAt: skills.updatedAt };

export const listSkills: AppRouteHandler<typeof routes.listSkills> = async (c) => {
  const q = c.req.valid("query");
  const o = orderAndPage(q, sortColumns, skills.id);
  const rows = await marketingDb(c.env)
    .select()
    .from(skills)
    .where(
      and(
        q.type ? eq(skills.type, q.type) : undefined,
        q.q ? or(ilike(skills.name, containsPattern(q.q)), ilike(skills.description, containsPattern(q.q))) : undefined,
      ),
    )
    .orderBy(...o.orderBy)
    .limit(o.limit)
    .offset(o.offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(skillJson) }, 200);
};

export const getSkill: AppRouteHandler<typeof routes.getSkill> = async (c) => {
  const skill = await marketingDb(c.env).query.skills.findFirst({ where: eq(skills.name, c.req.valid("param").name) });
  if (!skill) throw notFound("No skill has this name.");
  return c.json(skillJson(skill), 200);
};

export const upsertSkill: AppRouteHandler<typeof routes.upsertSkill> = async (c) => {
  const { name } = c.req.valid("param");
  const skill = c.req.valid("json");
  const [row] = await marketingDb(c.env)
    .insert(skills)
    .values({ name, ...skill })
    .onConflictDoUpdate({
      target: skills.name,
      set: {
        description: skill.description,
        type: skill.type,
        s3Key: skill.s3Key,
        hasRules: skill.hasRules,
        hasSubdirectories: skill.hasSubdirectories,
        triggerKeywords: skill.triggerKeywords,
        relatedSkills: skill.relatedSkills,
        updatedAt: new Date(),
      },
    })
    .returning({ ...getTableColumns(skills), inserted: sql<boolean>`(xmax = 0)` });
  const { inserted, ...stored } = row!;
  if (!inserted) return c.json(skillJson(stored), 200);
  c.header("Location", location(c, `/skills/${name}`));
  return c.json(skillJson(stored), 201);
};

export const matchSkills: AppRouteHandler<typeof routes.matchSkills> = async (c) => {
  const { message, limit } = c.req.valid("json");
  // The catalog is a few dozen rows: one read, ranked here, with related skills resolved from the same rows.
  const catalog = await marketingDb(c.env).select().from(skills);
  const byName = new Map(catalog.map((s) => [s.name, s]));
  const items = rankSkills(catalog, message, limit).map((m) => ({
    skill: skillJson(m.skill),
    matchedKeywords: m.matchedKeywords,
    specificity: m.specificity,
    related: (m.skill.relatedSkills ?? []).flatMap((n) => {
      const r = byName.get(n);
      return r ? [{ name: r.name, description: r.description }] : [];
    }),
  }));
  return c.json({ items }, 200);
};
