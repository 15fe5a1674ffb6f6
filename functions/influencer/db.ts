import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

export const influencerDb = (env: AppEnv, opts: { timeoutMs?: number } = {}) => createDb(env, schema, opts);
export type InfluencerDb = ReturnType<typeof influencerDb>;
