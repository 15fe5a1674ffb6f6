import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { DEFAULT_CONFIGURATIONS } from "./config-defaults";
import { systemConfigurations } from "./schema";

/** The seed document's `system_configurations` rows (email delays, API limits) and the module's own defaults. */
export const influencerSystemConfigurations = DEFAULT_CONFIGURATIONS;

/**
 * Inserts the rows that are missing and leaves every existing row alone: a value an admin changed through
 * PUT /v1/influencer/admin/config/… is never overwritten by a later seed run.
 */
export async function seedInfluencer(db: NodePgDatabase<Record<string, unknown>>, log: (line: string) => void): Promise<void> {
  const t = systemConfigurations;
  const rows = await db
    .insert(t)
    .values(influencerSystemConfigurations)
    .onConflictDoNothing({ target: [t.category, t.key] })
    .returning({ id: t.id });
  const kept = influencerSystemConfigurations.length - rows.length;
  log(`influencer.system_configurations: ${rows.length} inserted, 0 updated, ${kept} unchanged`);
}
