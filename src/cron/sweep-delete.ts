/**
 * A sweep that deletes every row matching `where` (expired cache entries, abandoned drafts), `size` rows per
 * statement, oldest first: `DELETE FROM t WHERE id IN (<claim>) [AND <recheck>]`, answering only a row count
 * (affected-rows.ts). `recheck` repeats the part of `where` another writer may change between the claim and the
 * delete (e.g. "still a draft"); leave it out when `where` is costly and nothing can un-expire a row.
 */
import { and, inArray, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { affectedRows } from "./affected-rows";
import { inBatches } from "./batches";
import { claimOldest, type SweepClaim } from "./sweep-claim";
import type { SweepContext, SweepResult } from "./types";

export interface SweepDelete<T extends PgTable> extends SweepClaim<T> {
  recheck?: SQL;
}

export function sweepDelete<T extends PgTable>(ctx: Pick<SweepContext, "deadline" | "env">, u: SweepDelete<T>): Promise<SweepResult> {
  return inBatches(ctx, u.size, async (timeoutMs) => {
    const db = u.db(timeoutMs);
    return affectedRows(
      db,
      db
        .delete(u.table)
        .where(and(inArray(u.id, claimOldest(db, u)), u.recheck))
        .returning({ id: u.id }),
    );
  });
}
