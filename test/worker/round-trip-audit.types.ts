/** A route of /openapi.json with one way to reach each cache/auth state worth measuring. */
export interface AuditCase {
  /** "METHOD /full/path/{param}" exactly as in /openapi.json */
  route: string;
  status: number;
  /**
   * state name → prepares the data and returns the request. Budgets (Postgres HTTP round trips):
   * hot = 0 (a hot-cache hit); warm, admin = 1; cold = 1, or 2 when the route authenticates with an API key
   * (the key's lookup is not cached); any other state = 1; edge, edge-304 (the colo's Cache API) = 0. A route
   * overrides one with `x-round-trips`. Redis budgets (Upstash HTTP requests): REDIS_BUDGETS in
   * round-trip-audit.test.ts, overridden with `x-redis-round-trips`.
   */
  states: Record<string, () => Promise<() => Promise<Response>>>;
  /** waits for background work the request started (it would be counted against the next route) */
  settle?: () => Promise<void>;
}
