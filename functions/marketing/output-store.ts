/**
 * Writing an output so that its row and its R2 object agree: the row is inserted `pending`, the object is
 * written, then the row is marked `stored` (only stored outputs are shown). A request cancelled or failing
 * between the steps leaves a pending row (and maybe an object), which the pending-output sweep removes; it
 * never deletes the object of a live row. Used by POST /runs/{id}/outputs and by the marketing.executeRun job.
 */
import { and, eq, exists, type SQL, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import type { AppEnv } from "../../src/env";
import type { MarketingDb } from "./db";
import { inFileStore } from "./file-store";
import { contentTypes, outputKey, previewOf, type RunKeyParts } from "./output-storage";
import { type Output, type OutputFormat, outputs, runs } from "./schema";

export interface NewOutputContent {
  format: OutputFormat;
  title?: string | null;
  content: string;
}

/** Step 1: the pending row, written only if the run is `userId`'s; null when it is not. */
export async function insertPendingOutput(db: MarketingDb, runId: string, userId: string, parts: RunKeyParts, out: NewOutputContent) {
  const id = crypto.randomUUID();
  const createdAt = new Date();
  const bytes = new TextEncoder().encode(out.content);
  const s3Key = outputKey({ skill: parts.skill, client: parts.client, format: out.format, outputId: id, at: createdAt });
  const [row] = await db
    .insert(outputs)
    .select(
      db
        .select(
          selectRow(outputs, {
            id,
            runId: runs.id,
            s3Key,
            format: out.format,
            title: out.title ?? null,
            preview: previewOf(out.content),
            sizeBytes: bytes.byteLength,
            status: "pending",
            createdAt,
          }),
        )
        .from(runs)
        .where(and(eq(runs.id, runId), eq(runs.userId, userId))),
    )
    .returning();
  return row ? { row, bytes } : null;
}

/** Step 2: the object, named and typed like every output; a failing store is a 503 (the pending row stays for the sweep). */
export async function putOutputObject(env: AppEnv, row: Output, bytes: Uint8Array) {
  await inFileStore(env, () =>
    env.FILES.put(row.s3Key, bytes, {
      httpMetadata: { contentType: contentTypes[row.format] },
      customMetadata: { runId: row.runId, outputId: row.id },
    }),
  );
}

/**
 * Step 3, as a statement for a caller's db.batch: the row becomes `stored`. With `whileRunning`, only while its
 * run is still `running` (the executor: a run cancelled or failed meanwhile keeps its output pending, for the sweep).
 */
export const markStored = (db: MarketingDb, id: string, opts: { whileRunning?: boolean } = {}) =>
  db
    .update(outputs)
    .set({ status: "stored" })
    .where(
      and(
        eq(outputs.id, id),
        eq(outputs.status, "pending"),
        opts.whileRunning
          ? exists(
              db
                .select({ one: sql`1` })
                .from(runs)
                .where(and(eq(runs.id, outputs.runId), eq(runs.status, "running"))),
            )
          : undefined,
      ),
    )
    .returning();

/** Only outputs whose object was written. */
export const isStored: SQL = eq(outputs.status, "stored");
