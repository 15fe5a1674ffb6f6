/**
 * What each module tells the tenant isolation matrix (issue 15 §2): how tenant A's objects are made, which of
 * B's requests name them, and which id-bearing operations are exempt (with the reason).
 */
import type { Tenant } from "../principals";

export interface Seeded {
  a: Tenant;
  b: Tenant;
  /** A's object ids by name (used to fill B's requests and to find A's rows) */
  ids: Record<string, string>;
  /** B's own objects, for requests that combine B's object with A's (B's job at A's endpoint) */
  own: Record<string, string>;
}

/**
 * One request B sends with A's id in it.
 * - `path`: the id is in the path → 404 (and A's own GET with the same params answers 200: the id is real);
 * - `reference`: the id is a reference in B's write (body) → exactly what a reference to an id that does not
 *   exist gets (the house style's 422 /problems/invalid-reference, checked inside the write), so B learns nothing;
 * - `filter`: the id is a list filter (query) → A's objects are not in B's answer.
 */
export interface IsolationCase {
  kind: "path" | "reference" | "filter";
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** for `reference`: the same request naming nothing (defaults to the body with A's ids swapped for fresh uuids) */
  nothingBody?: unknown;
  /** `false` when the request is not A's own to make (B's object combined with A's): no control read by A */
  control?: false;
  /** for `filter`: a further check of B's answer (e.g. an aggregate that must not count A's rows); a message when it leaks */
  leaks?: (body: any) => string | null;
}

export interface TenantModule {
  module: string;
  seed(): Promise<Seeded>;
  /** route ("METHOD /v1/…") → B's requests naming A's objects */
  cases: Record<string, (s: Seeded) => IsolationCase[]>;
  /** id-bearing routes without a case, and why */
  exempt: Record<string, string>;
}
