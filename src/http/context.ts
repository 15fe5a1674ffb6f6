/** What every request handler sees: the Worker's bindings and the per-request variables set by the middleware. */
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";
import type { Principal } from "./principal";

export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** set by the auth middlewares (api-key, jwt, session, admin) */
  principal?: Principal;
}

export type AppContext = { Bindings: AppEnv; Variables: AppVariables };
