import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { systemConfigurations, type NewSystemConfiguration } from "./schema";

/** The seed document's `system_configurations` rows (email delays and API limits). */
export const influencerSystemConfigurations: NewSystemConfiguration[] = [
  { category: "email", key: "trial_day_2_delay", value: "2 days", valueType: "duration", description: "Delay for day 2 trial email" },
  { category: "email", key: "trial_day_5_delay", value: "5 days", valueType: "duration", description: "Delay for day 5 trial email" },
  { category: "email", key: "trial_expiry_delay", value: "7 days", valueType: "duration", description: "Delay for trial expiry email" },
  { category: "api", key: "max_api_calls_testing", value: "1", valueType: "number", description: "API call limit for testing" },
  { category: "api", key: "max_api_calls_production", value: "999", valueType: "number", description: "API call limit for production" },
];

/**
 * Upserts on (category, key). A row whose value, type and description already match is left alone,
 * so running twice changes nothing (updated_at included); is_hot_reloadable is not in the seed rows,
 * so an operator's change to it survives.
 */
export async function seedInfluencer(db: NodePgDatabase<any>, log: (line: string) => void): Promise<void> {
  const t = systemConfigurations;
  const rows = await db
    .insert(t)
    .values(influencerSystemConfigurations)
    .onConflictDoUpdate({
      target: [t.category, t.key],
      set: {
        value: sql`excluded.value`,
        valueType: sql`excluded.value_type`,
        description: sql`excluded.description`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`(${t.value}, ${t.valueType}, ${t.description}) IS DISTINCT FROM (excluded.value, excluded.value_type, excluded.description)`,
    })
    // xmax = 0 only for a freshly inserted row version.
    .returning({ category: t.category, key: t.key, inserted: sql<boolean>`(xmax = 0)` });
  const inserted = rows.filter((r) => r.inserted).length;
  const updated = rows.length - inserted;
  const unchanged = influencerSystemConfigurations.length - rows.length;
  log(`influencer.system_configurations: ${inserted} inserted, ${updated} updated, ${unchanged} unchanged`);
}
