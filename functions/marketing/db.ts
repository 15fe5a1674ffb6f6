import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

export const marketingDb = (env: AppEnv) => createDb(env, schema);
export type MarketingDb = ReturnType<typeof marketingDb>;
