/** Parsing of vars (all strings in the Worker's env) into settings, with a default when unset or invalid. */

/** A positive integer var, or `fallback` when it is missing, not a number or not positive. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}
