/** The blog module's one db accessor, the same in handlers, sweeps and jobs. */
import { createDb } from "../../src/db/client";
import type { AppEnv } from "../../src/env";
import * as schema from "./db-schema";

export const blogDb = (env: AppEnv) => createDb(env, schema);
export type BlogDb = ReturnType<typeof blogDb>;
