/**
 * Seed 000's skills: the two it lists in full (copywriting, email-sequence) and eight more of the same shape.
 * Upserted on `name` like the seed's own script; a skill whose fields are unchanged is left untouched.
 */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { skills, type NewSkill } from "./schema";
import { describeCounts, upsertRows } from "../../src/db/upsert-rows";

export const skillsData: NewSkill[] = [
  {
    name: "copywriting",
    description: "Write marketing copy for pages - homepage, landing pages, pricing, features, about",
    type: "with_rules",
    s3Key: "skills/copywriting/",
    hasRules: true,
    hasSubdirectories: false,
    triggerKeywords: [
      "write copy",
      "rewrite",
      "marketing copy",
      "headline",
      "CTA",
      "homepage copy",
      "landing page copy",
      "pricing page",
      "feature page",
    ],
    relatedSkills: ["copy-editing", "page-cro", "email-sequence", "popup-cro", "ab-test-setup"],
  },
  {
    name: "email-sequence",
    description: "Create email sequences - welcome, nurture, onboarding, re-engagement campaigns",
    type: "with_rules",
    s3Key: "skills/email-sequence/",
    hasRules: true,
    hasSubdirectories: false,
    triggerKeywords: [
      "email sequence",
      "drip campaign",
      "nurture sequence",
      "onboarding emails",
      "welcome sequence",
      "re-engagement emails",
      "email automation",
      "lifecycle emails",
    ],
    relatedSkills: ["copywriting", "onboarding-cro"],
  },
  {
    name: "copy-editing",
    description: "Edit and tighten existing marketing copy - clarity, tone, structure, proofreading",
    type: "simple",
    s3Key: "skills/copy-editing/",
    hasRules: false,
    hasSubdirectories: false,
    triggerKeywords: ["edit copy", "proofread", "tighten copy", "improve this copy", "copy review", "polish"],
    relatedSkills: ["copywriting", "page-cro"],
  },
  {
    name: "page-cro",
    description: "Audit and improve conversion on marketing pages - hierarchy, CTAs, objections, social proof",
    type: "with_rules",
    s3Key: "skills/page-cro/",
    hasRules: true,
    hasSubdirectories: false,
    triggerKeywords: ["conversion rate", "CRO", "page not converting", "improve conversions", "landing page audit", "bounce rate"],
    relatedSkills: ["copywriting", "ab-test-setup", "popup-cro"],
  },
  {
    name: "popup-cro",
    description: "Design popups, modals and slide-ins that convert without hurting the experience",
    type: "simple",
    s3Key: "skills/popup-cro/",
    hasRules: false,
    hasSubdirectories: false,
    triggerKeywords: ["popup", "modal", "exit intent", "slide-in", "lead capture popup", "newsletter popup"],
    relatedSkills: ["page-cro", "copywriting"],
  },
  {
    name: "ab-test-setup",
    description: "Plan A/B tests - hypothesis, variants, primary metric, sample size and duration",
    type: "with_rules",
    s3Key: "skills/ab-test-setup/",
    hasRules: true,
    hasSubdirectories: false,
    triggerKeywords: ["A/B test", "split test", "experiment", "test variants", "hypothesis", "statistical significance"],
    relatedSkills: ["page-cro", "copywriting"],
  },
  {
    name: "onboarding-cro",
    description: "Improve activation after signup - first-run experience, checklists, empty states, aha moment",
    type: "with_rules",
    s3Key: "skills/onboarding-cro/",
    hasRules: true,
    hasSubdirectories: false,
    triggerKeywords: ["onboarding", "activation", "first run", "user onboarding", "time to value", "aha moment"],
    relatedSkills: ["email-sequence", "page-cro"],
  },
  {
    name: "seo-audit",
    description: "Audit a site for technical, on-page and content SEO issues and prioritise fixes",
    type: "complex",
    s3Key: "skills/seo-audit/",
    hasRules: true,
    hasSubdirectories: true,
    triggerKeywords: ["SEO audit", "technical SEO", "why am I not ranking", "meta tags", "site speed", "indexing issues"],
    relatedSkills: ["copywriting", "page-cro"],
  },
  {
    name: "pricing-strategy",
    description: "Shape pricing and packaging - tiers, value metric, anchoring, pricing page structure",
    type: "complex",
    s3Key: "skills/pricing-strategy/",
    hasRules: true,
    hasSubdirectories: true,
    triggerKeywords: ["pricing", "pricing tiers", "packaging", "value metric", "freemium", "price increase"],
    relatedSkills: ["page-cro", "copywriting", "ab-test-setup"],
  },
  {
    name: "social-content",
    description: "Write social media posts and threads - LinkedIn, X, hooks, content calendars",
    type: "simple",
    s3Key: "skills/social-content/",
    hasRules: false,
    hasSubdirectories: false,
    triggerKeywords: ["social post", "LinkedIn post", "tweet", "thread", "content calendar", "hook"],
    relatedSkills: ["copywriting", "copy-editing"],
  },
];

export async function seedMarketing(db: NodePgDatabase<any>, log: (line: string) => void): Promise<void> {
  const counts = await upsertRows(db, skills, skillsData, {
    target: skills.name,
    update: ["description", "type", "s3Key", "hasRules", "hasSubdirectories", "triggerKeywords", "relatedSkills"],
  });
  log(describeCounts("marketing.skills", counts));
}
