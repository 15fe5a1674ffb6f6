/**
 * `INSERT … SELECT` rows for drizzle, which wants every column of the table, in order, in the SELECT list.
 * Lets one statement insert only when a condition holds (the referenced rows exist and belong to the caller):
 * zero rows back means the condition failed, with no read before the write.
 * Values are cast to the column type, since a parameter in a SELECT list would otherwise be taken as text.
 */
import { Column, getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

type RowValues<T extends PgTable> = { [K in keyof T["$inferInsert"]]?: SQL | PgColumn | T["$inferInsert"][K] };

/** The column's SQL type; enums of a pgSchema are named with their schema (`"scheduler"."HttpMethod"`). */
function sqlType(col: Column): SQL {
  const e = (col as Column & { enum?: { enumName: string; schema?: string } }).enum;
  if (e?.enumName) return e.schema ? sql`${sql.identifier(e.schema)}.${sql.identifier(e.enumName)}` : sql`${sql.identifier(e.enumName)}`;
  return sql.raw(col.getSQLType());
}

const typed = (value: unknown, col: Column) => sql`${sql.param(value, col)}::${sqlType(col)}`;

function defaultOf(col: Column): SQL {
  if (col.defaultFn) {
    const d = col.defaultFn();
    return is(d, SQL) ? d : typed(d, col);
  }
  if (col.default !== undefined) return is(col.default, SQL) ? col.default : typed(col.default, col);
  return sql`null::${sqlType(col)}`;
}

export function selectRow<T extends PgTable>(table: T, values: RowValues<T>): { [K in keyof T["$inferInsert"]]-?: SQL | PgColumn } {
  const row: Record<string, SQL | Column> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = (values as Record<string, unknown>)[key];
    row[key] = v === undefined ? defaultOf(col) : is(v, SQL) || is(v, Column) ? (v as SQL | Column) : typed(v, col);
  }
  return row as { [K in keyof T["$inferInsert"]]-?: SQL | PgColumn };
}
