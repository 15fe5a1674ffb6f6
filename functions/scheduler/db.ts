import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

export const schedulerDb = (env: AppEnv) => createDb(env, schema);
export type SchedulerDb = ReturnType<typeof schedulerDb>;
