/**
 * Replay protection for signed callbacks: an event is applied once. One db.batch (one transaction, one round
 * trip): the plain INSERT of the event row first (no ON CONFLICT), then the effects. A second delivery of the
 * same (source, event id) violates the primary key, the whole batch rolls back, and the answer is "duplicate"
 * — the caller answers 200 and nothing changed.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { AnyDb } from "./client";
import { findPgError } from "./errors";
import { processedEvents } from "./platform-schema";

export { processedEvents };

export async function onceOnly(db: AnyDb, source: string, eventId: string, effects: BatchItem<"pg">[]): Promise<"applied" | "duplicate"> {
  return (await onceOnlyWithResults(db, source, eventId, effects)).outcome;
}

/** onceOnly, also handing back what the effects returned (e.g. the rows of an `… RETURNING`) when applied. */
export async function onceOnlyWithResults<const E extends readonly BatchItem<"pg">[]>(
  db: AnyDb,
  source: string,
  eventId: string,
  effects: E,
): Promise<{ outcome: "applied"; results: { -readonly [K in keyof E]: Awaited<E[K]> } } | { outcome: "duplicate" }> {
  if (!source || !eventId) throw new Error("onceOnly: source and eventId are required");
  try {
    const [, ...results] = await db.batch([db.insert(processedEvents).values({ source, eventId }), ...effects] as unknown as [
      BatchItem<"pg">,
      ...BatchItem<"pg">[],
    ]);
    return { outcome: "applied", results: results as unknown as { -readonly [K in keyof E]: Awaited<E[K]> } };
  } catch (err) {
    const pg = findPgError(err);
    if (pg?.code === "23505" && (pg.constraint === "processed_events_pkey" || pg.table === "processed_events"))
      return { outcome: "duplicate" };
    throw err;
  }
}
