/**
 * Seed 001's defaults: six agent model configs and the `openrouter_api_key` setting (empty until an admin
 * sets it). Both are admin-managed, so a row that exists is never overwritten: seeding fills gaps only.
 */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { agentModelConfigs, appSettings, type NewAgentModelConfig, type NewAppSetting } from "./schema";
import { describeCounts, upsertRows } from "../../src/db/upsert-rows";

const MODEL = "openrouter/anthropic/claude-sonnet-4-5-20250929";

// max_tokens is not in the seed's table: the column default '4096' applies.
export const agentModelConfigsData: NewAgentModelConfig[] = [
  { agentId: "brand-voice-analyzer", agentLabel: "Brand Voice Analyzer", modelId: MODEL, temperature: "0.5" },
  { agentId: "blog-writer", agentLabel: "Blog Writer", modelId: MODEL, temperature: "0.8" },
  { agentId: "blog-editor", agentLabel: "Blog Editor", modelId: MODEL, temperature: "0.5" },
  { agentId: "seo-specialist", agentLabel: "SEO Specialist", modelId: MODEL, temperature: "0.4" },
  { agentId: "senior-editor", agentLabel: "Senior Editor", modelId: MODEL, temperature: "0.5" },
  { agentId: "blog-reviewer", agentLabel: "Blog Reviewer", modelId: MODEL, temperature: "0.3" },
];

// Never a real secret here: the key is set through the admin panel.
export const appSettingsData: NewAppSetting[] = [{ key: "openrouter_api_key", value: "", isSecret: true }];

export async function seedBlog(db: NodePgDatabase<any>, log: (line: string) => void): Promise<void> {
  const configs = await upsertRows(db, agentModelConfigs, agentModelConfigsData, { target: agentModelConfigs.agentId, update: "never" });
  log(describeCounts("blog.agent_model_configs", configs));
  const settings = await upsertRows(db, appSettings, appSettingsData, { target: appSettings.key, update: "never" });
  log(describeCounts("blog.app_settings", settings));
}
