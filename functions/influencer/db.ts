import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

export const influencerDb = (env: AppEnv) => createDb(env, schema);
export type InfluencerDb = ReturnType<typeof influencerDb>;
