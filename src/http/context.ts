/** What every request handler sees: the Worker's bindings and the per-request variables set by the middleware. */
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";

export interface AppVariables {
  requestId: string;
  logger: Logger;
}

export type AppContext = { Bindings: AppEnv; Variables: AppVariables };
