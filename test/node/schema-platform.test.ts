/**
 * The "platform" schema as migrated (src/db/platform-schema.ts): exactly processed_events and spend_counters (the
 * daily model budget's Postgres counter, issue 14), their columns and composite primary keys, and nothing else;
 * a second row with the same (source, event_id) is refused.
 */
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/platform-schema";
import { columnMismatches, pgError, unexpectedColumns, useMigratedSchema, type Catalog, type ColumnRow } from "./schema-catalog.js";

const TABLES = ["processed_events", "spend_counters"];
const COLUMNS: ColumnRow[] = [
  ["processed_events", "source", "text", "not null", null],
  ["processed_events", "event_id", "text", "not null", null],
  ["processed_events", "received_at", "timestamp with time zone", "not null", "now()"],
  ["spend_counters", "scope", "text", "not null", null],
  ["spend_counters", "day", "date", "not null", null],
  ["spend_counters", "calls", "integer", "not null", "0"],
  ["spend_counters", "tokens", "bigint", "not null", "0"],
];

let cat: Catalog;
let db: import("drizzle-orm/node-postgres").NodePgDatabase<typeof schema>;
useMigratedSchema("schema_platform", "platform", schema, (fx) => {
  ({ cat, db } = fx);
});

describe("platform catalog", () => {
  it("has exactly processed_events and spend_counters with their documented columns, and no enums", () => {
    expect(cat.tables).toEqual(TABLES);
    expect(columnMismatches(cat, COLUMNS)).toEqual([]);
    expect(unexpectedColumns(cat, COLUMNS, TABLES)).toEqual([]);
    expect([...cat.enums.keys()]).toEqual([]);
  });

  it("has only the primary keys on (source, event_id) and (scope, day) and their indexes", () => {
    expect(cat.constraints.filter((c) => ["p", "u", "f", "c", "x"].includes(c.type)).map((c) => [c.name, c.type, c.def])).toEqual([
      ["processed_events_pkey", "p", "PRIMARY KEY (source, event_id)"],
      ["spend_counters_pkey", "p", "PRIMARY KEY (scope, day)"],
    ]);
    expect(cat.indexes.map((i) => i.name)).toEqual(["processed_events_pkey", "spend_counters_pkey"]);
  });

  it("refuses a second row for the same source and event id, accepts the same id from another source", async () => {
    await db.insert(schema.processedEvents).values({ source: "stripe", eventId: "evt_1" });
    await db.insert(schema.processedEvents).values({ source: "clerk", eventId: "evt_1" });
    expect(await pgError(db.insert(schema.processedEvents).values({ source: "stripe", eventId: "evt_1" }))).toEqual({
      code: "23505",
      constraint: "processed_events_pkey",
    });
  });
});
