import type pg from "pg";
import type { RemoteStack } from "../../test/local/stack-process.js";
import type { ConventionalHandle } from "../conventional/server.js";
import type { LoadRequest } from "./load.js";
import type { RouteRow } from "./report.js";
import type { WorkerHandle } from "./wrangler.js";

export interface BenchContext {
  stack: RemoteStack;
  worker: WorkerHandle;
  conventional: ConventionalHandle;
  /** direct pool on the bench database, for arranging data */
  pool: pg.Pool;
  adminToken: string;
  /** extra servers (fake upstream APIs) by name → base URL */
  fakes: Record<string, string>;
  log(msg: string): void;
  /** the route measurements, once the routes pass has run (the worldwide model reads them) */
  routes?: RouteRow[];
}

export interface Scenario {
  name: string;
  /** the route as it appears in /openapi.json, e.g. "GET /v1/blog/dresses/{externalId}" */
  route: string;
  setup(ctx: BenchContext): Promise<{
    worker: LoadRequest | (() => LoadRequest);
    /** the same work on the conventional server; absent when it has no equivalent */
    conventional?: LoadRequest | (() => LoadRequest);
    /** fixed number of requests instead of a duration (for creates/transitions that consume rows) */
    amount?: number;
  }>;
}
