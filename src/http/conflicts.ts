/** A unique violation (SQLSTATE 23505) turned into the module's own 409, which names the clashing field. */
import type { HttpProblem } from "../core/problem";
import { findPgError } from "../db/errors";

/** Awaits `write`; when it breaks a unique constraint, throws `problem()` instead (any other error is rethrown). */
export async function conflictOnDuplicate<T>(write: PromiseLike<T>, problem: () => HttpProblem): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (findPgError(err)?.code === "23505") throw problem();
    throw err;
  }
}
