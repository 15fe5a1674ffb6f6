/**
 * Seeds every module's reference data, in a fixed order. Each step is an idempotent upsert and prints
 * what it did; running it twice leaves the same rows (ids and stamps included).
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Seeder } from "../../src/module";
import { modules } from "../../src/modules";

export type { Seeder };

/** Each module's seed, in the order of src/modules.ts. */
export const seeders: [module: string, seed: Seeder][] = modules.flatMap((m) => (m.seed ? [[m.name, m.seed] as [string, Seeder]] : []));

export async function seedDatabase(url: string, log: (line: string) => void = console.log): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle(client);
    for (const [module, seed] of seeders) {
      const started = Date.now();
      await seed(db, log);
      log(`seed ${module}: done in ${Date.now() - started} ms`);
    }
  } finally {
    await client.end();
  }
}
