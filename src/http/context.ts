/** What every request handler sees: the Worker's bindings and the per-request variables set by the middleware. */
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";
import type { Context } from "hono";
import type { WindowRead } from "../cache/hot-round";
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

/** The Redis reads and rate-limit decisions one request fetched in one round trip (prefetch.ts). */
export interface PrefetchState {
  /** the route's first reads, computed when the round is sent */
  wanted: ((c: Context<AppContext>) => string | null | undefined)[];
  /** prefetched values not consumed yet (null: absent in Redis, or Redis failed) */
  values: Map<string, unknown>;
  /** windowId → the counters read for it; "unavailable" when Redis failed or is not configured */
  limits: Map<string, WindowRead | "unavailable">;
  /** Redis requests this request sent through prefetch() (for the logs) */
  rounds: number;
}
