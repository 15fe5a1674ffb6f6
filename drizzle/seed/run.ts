/**
 * Seeds every module's reference data, in a fixed order. Each step is an idempotent upsert and prints
 * what it did; running it twice leaves the same rows (ids and stamps included).
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { seedBlog } from "./blog";
import { seedChat } from "./chat";
import { seedInfluencer } from "./influencer";
import { seedMarketing } from "./marketing";
import { seedScheduler } from "./scheduler";

export type Seeder = (db: NodePgDatabase<any>, log: (line: string) => void) => Promise<void>;

export const seeders: [module: string, seed: Seeder][] = [
  ["marketing", seedMarketing],
  ["blog", seedBlog],
  ["chat", seedChat],
  ["scheduler", seedScheduler],
  ["influencer", seedInfluencer],
];

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
