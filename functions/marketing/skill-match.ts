/**
 * Ranks skills for a user message by their trigger keywords. A keyword matches when its words appear in the
 * message as a run of whole words, case- and punctuation-insensitively ("Landing-page copy!" matches
 * "landing page copy"). Most specific first: the skill whose longest matched keyword has the most words,
 * then the most characters, then the most matched keywords, then its name.
 */
import type { Skill } from "./schema";

export interface SkillMatch {
  skill: Skill;
  matchedKeywords: string[];
  /** words in the longest matched keyword */
  specificity: number;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

export function rankSkills(catalog: Skill[], message: string, limit: number): SkillMatch[] {
  const haystack = ` ${words(message).join(" ")} `;
  const ranked: (SkillMatch & { chars: number })[] = [];
  for (const skill of catalog) {
    const matched = skill.triggerKeywords
      .map((kw) => ({ kw, w: words(kw) }))
      .filter(({ w }) => w.length > 0 && haystack.includes(` ${w.join(" ")} `))
      .sort((a, b) => b.w.length - a.w.length || b.kw.length - a.kw.length);
    if (matched.length === 0) continue;
    ranked.push({ skill, matchedKeywords: matched.map((m) => m.kw), specificity: matched[0]!.w.length, chars: matched[0]!.kw.length });
  }
  ranked.sort(
    (a, b) =>
      b.specificity - a.specificity ||
      b.chars - a.chars ||
      b.matchedKeywords.length - a.matchedKeywords.length ||
      a.skill.name.localeCompare(b.skill.name),
  );
  return ranked.slice(0, limit).map(({ chars: _chars, ...m }) => m);
}
