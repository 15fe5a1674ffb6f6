/**
 * Seed 003 defines no reference data (users, jobs and keys are all created by people), so there is
 * nothing to seed; the function exists so every module has its step and says so.
 */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";

export async function seedScheduler(_db: NodePgDatabase<any>, log: (line: string) => void): Promise<void> {
  log("scheduler: no reference data to seed");
}
