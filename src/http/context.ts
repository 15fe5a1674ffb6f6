/** What every request handler sees: the Worker's bindings and the per-request variables set by the middleware. */
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";
import type { PrefetchState } from "./prefetch";
import type { Principal } from "./principal";

export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** set by the auth middlewares (api-key, jwt, session, admin) */
  principal?: Principal;
  /** set by firstOf while it tries its middlewares: they leave counting a failed authentication to it (`failed`) */
  authFailures?: { failed: boolean };
  /** the Redis reads and rate-limit decisions fetched together at the start of the request (prefetch.ts) */
  prefetch?: PrefetchState;
}

export type AppContext = { Bindings: AppEnv; Variables: AppVariables };
