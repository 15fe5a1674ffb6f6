/** One import for modules: the Worker's bindings, the request context and var parsing (defined in src/core and src/http). */
export type { AppEnv } from "./core/env";
export { intVar } from "./core/config";
export type { AppContext } from "./http/context";
