/** The blog module's one db accessor, the same in handlers, sweeps and jobs. */
import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

/** `opts.timeoutMs`: a deadline shorter than DB_TIMEOUT_MS (a sweep batch gets the run's remaining time). */
export const blogDb = (env: AppEnv, opts: { timeoutMs?: number } = {}) => createDb(env, schema, opts);
export type BlogDb = ReturnType<typeof blogDb>;
