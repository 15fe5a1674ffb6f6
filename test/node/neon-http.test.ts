/**
 * Conformance of the Neon SQL-over-HTTP stand-in (protocols.md part A): the official clients
 * (`neon()`, drizzle neon-http) against it must give exactly what `pg` gives against Postgres.
 */
import { neon, neonConfig, NeonDbError } from "@neondatabase/serverless";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase } from "../local/databases.js";
import { type NeonHttpHandle, startNeonHttp } from "../local/neon-http.js";

const ERROR_KEYS = [
  "message",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "severity",
  "where",
  "table",
  "column",
  "schema",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let handle: NeonHttpHandle;
let small: NeonHttpHandle;
let direct: pg.Client;
let sql: ReturnType<typeof neon>;
let smallSql: ReturnType<typeof neon>;

/** The connection string of `handle` with some parts replaced. */
function connString(change: { user?: string; password?: string; host?: string; db?: string } = {}): string {
  const u = new URL(handle.connectionString);
  if (change.user !== undefined) u.username = change.user;
  if (change.password !== undefined) u.password = change.password;
  if (change.host !== undefined) u.hostname = change.host;
  if (change.db !== undefined) u.pathname = `/${change.db}`;
  return u.toString();
}

/** The headers the official client sends. */
function clientHeaders(cs = handle.connectionString): Record<string, string> {
  return { "Neon-Connection-String": cs, "Neon-Raw-Text-Output": "true", "Neon-Array-Mode": "true" };
}

async function post(body: unknown, headers: Record<string, string> = clientHeaders(), url = handle.url) {
  const res = await fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function rejection(p: PromiseLike<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown> & Error;
  }
  throw new Error("expected the query to fail");
}

function errorFields(e: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(ERROR_KEYS.map((k) => [k, e[k] ?? undefined]));
}

function plainFields(fields: pg.FieldDef[]) {
  return fields.map((f) => ({
    name: f.name,
    dataTypeID: f.dataTypeID,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: f.format,
  }));
}

async function count(where: string): Promise<number> {
  const r = await direct.query(`SELECT count(*)::int AS n FROM items WHERE ${where}`);
  return r.rows[0].n as number;
}

beforeAll(async () => {
  const dbUrl = await createDatabase(inject("pgAdminUrl"), "neon_conf", { recreate: true });
  direct = new pg.Client({ connectionString: dbUrl });
  await direct.connect();
  await direct.query(`
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty int NOT NULL DEFAULT 0, mood mood);
    CREATE TABLE nn (k int PRIMARY KEY, v text NOT NULL);
    CREATE TABLE d_items (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty integer NOT NULL DEFAULT 0);
    INSERT INTO items (name, qty, mood) VALUES ('seed', 1, 'ok');
  `);
  handle = await startNeonHttp({ backendUrl: dbUrl });
  small = await startNeonHttp({ backendUrl: dbUrl, maxRequestBytes: 1024, maxResponseBytes: 1024 });
  neonConfig.fetchEndpoint = (host) => (host === "small.localtest.me" ? small.url : handle.url);
  sql = neon(handle.connectionString);
  smallSql = neon(connString({ host: "small.localtest.me" }));
});

afterAll(async () => {
  await handle?.close();
  await small?.close();
  await direct?.end();
});

describe("wire shape (A.11, plain fetch)", () => {
  it("N1: a tagged query's request and response", async () => {
    const r = await post({ query: "SELECT $1::int AS n", params: ["1"] });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      fields: [{ name: "n", dataTypeID: 23, tableID: 0, columnID: 0, dataTypeSize: 4, dataTypeModifier: -1, format: "text" }],
      rows: [["1"]],
      command: "SELECT",
      rowCount: 1,
      rowAsArray: true,
    });
    expect(Object.keys(JSON.parse(r.text))).toEqual(["fields", "rows", "command", "rowCount", "rowAsArray"]);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("neon-request-id")).toMatch(UUID_RE);
  });

  it("N8/N9: DDL has no fields and a null rowCount; INSERT counts from the third tag word", async () => {
    const create = await post({ query: "CREATE TABLE wire_t (id int)", params: [] });
    expect(JSON.parse(create.text)).toEqual({ fields: [], rows: [], command: "CREATE", rowCount: null, rowAsArray: true });
    const insert = await post({ query: "INSERT INTO wire_t VALUES (1), (2)", params: [] });
    expect(JSON.parse(insert.text)).toEqual({ fields: [], rows: [], command: "INSERT", rowCount: 2, rowAsArray: true });
    const drop = await post({ query: "DROP TABLE wire_t" });
    expect(JSON.parse(drop.text)).toMatchObject({ command: "DROP", rowCount: null });
    const empty = await post({ query: "" });
    expect(JSON.parse(empty.text)).toEqual({ fields: [], rows: [], command: "", rowCount: null, rowAsArray: true });
  });

  it("N12: an empty batch is valid", async () => {
    const r = await post({ queries: [] });
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"results":[]}');
  });

  it("null cells are JSON null and every other cell is Postgres text in raw mode", async () => {
    const r = await post({ query: "SELECT 1 AS n, 'a' AS s, ARRAY[1,2,3] AS arr, NULL::text AS z, true AS b" });
    expect(JSON.parse(r.text).rows).toEqual([["1", "a", "{1,2,3}", null, "t"]]);
  });

  it("object mode and the per-query arrayMode override", async () => {
    const h = { ...clientHeaders(), "Neon-Array-Mode": "false" };
    expect(JSON.parse((await post({ query: "SELECT 1 AS a" }, h)).text)).toMatchObject({ rows: [{ a: "1" }], rowAsArray: false });
    const over = JSON.parse((await post({ query: "SELECT 1 AS a", arrayMode: false })).text);
    expect(over).toMatchObject({ rows: [{ a: "1" }], rowAsArray: false });
    const batch = JSON.parse((await post({ queries: [{ query: "SELECT 1 AS a" }, { query: "SELECT 2 AS b", arrayMode: false }] })).text);
    expect(batch.results.map((x: { rows: unknown; rowAsArray: boolean }) => [x.rows, x.rowAsArray])).toEqual([
      [[["1"]], true],
      [[{ b: "2" }], false],
    ]);
  });

  it("typed (non-raw) output converts like the proxy's json.rs", async () => {
    const h = { "Neon-Connection-String": handle.connectionString };
    const simple = await post({ query: "SELECT ARRAY[1,2,3] AS arr, 1 AS n, 'a' AS s" }, h);
    expect(JSON.parse(simple.text).rows).toEqual([{ arr: [1, 2, 3], n: 1, s: "a" }]);
    const r = await post(
      {
        query: `SELECT 42::int8 AS i8, 7::int2 AS i2, 1.5::float8 AS f, 'NaN'::float4 AS nan, '-Infinity'::float8 AS ninf,
        true AS t, '{"a": [1, null]}'::jsonb AS j, 12.50::numeric AS num, ARRAY['a', NULL, 'NULL', 'b"c']::text[] AS ta,
        '{{1,2},{3,NULL}}'::int[] AS md, '[0:1]={1.5,2}'::float8[] AS bounds, ARRAY[true,false] AS ba, NULL::int AS z`,
      },
      { ...h, "Neon-Array-Mode": "true" },
    );
    expect(JSON.parse(r.text).rows).toEqual([
      [
        "42",
        7,
        1.5,
        "NaN",
        "-Infinity",
        true,
        { a: [1, null] },
        "12.50",
        ["a", null, "NULL", 'b"c'],
        [
          [1, 2],
          [3, null],
        ],
        [1.5, 2],
        [true, false],
        null,
      ],
    ]);
    // Object rows keep duplicate column names, as the proxy writes them.
    const dup = await post({ query: "SELECT 1 AS x, 2 AS x" }, h);
    expect(dup.text).toContain('"rows":[{"x":1,"x":2}]');
  });

  it("JSON params that are not strings follow the proxy's conversion", async () => {
    const r = await post({
      query: "SELECT $1 AS a, $2 AS b, $3 AS c, $4 AS d, $5 AS e, $6 AS f, $7 AS g, $8 AS h",
      params: [
        42,
        true,
        { a: 1 },
        [
          [true, false],
          [null, 42],
        ],
        [{ foo: 1 }],
        null,
        1.5,
        ["x", 'y"\\'],
      ],
    });
    expect(JSON.parse(r.text).rows).toEqual([
      ["42", "true", '{"a":1}', "{{true,false},{NULL,42}}", '{"{\\"foo\\":1}"}', null, "1.5", '{"x","y\\"\\\\"}'],
    ]);
    expect(JSON.parse(r.text).fields[0].dataTypeID).toBe(25);
  });

  it("unparseable bodies are 400 with the serde-style prefix", async () => {
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.text);
    expect(body.message).toMatch(/^could not parse the HTTP request body: /);
    expect(body.code).toBe("");
    const shape = JSON.parse((await post({ foo: 1 })).text);
    expect(shape.message).toBe("could not parse the HTTP request body: data did not match any variant of untagged enum Payload");
    const nullParams = await post({ query: "SELECT 1", params: null });
    expect(nullParams.status).toBe(400);
  });

  it("an error body carries every key, code and severity '' without a Postgres error", async () => {
    const r = await post({ query: "SELECT 1" }, clientHeaders(connString({ password: "wrong" })));
    expect(r.status).toBe(400);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("neon-request-id")).toMatch(UUID_RE);
    const body = JSON.parse(r.text);
    expect(Object.keys(body)).toEqual([...ERROR_KEYS]);
    expect(body).toMatchObject({ message: "password authentication failed for user 'postgres'", code: "", severity: "", position: null });
    const pgErr = JSON.parse((await post({ query: "SELECT 123 WHERE x" })).text);
    expect(Object.keys(pgErr)).toEqual([...ERROR_KEYS]);
    expect(pgErr).toMatchObject({ message: 'column "x" does not exist', code: "42703", position: "18", severity: "ERROR", detail: null });
    expect(typeof pgErr.line).toBe("string");
  });

  it("wrong path or method: 400 with the bare JSON string", async () => {
    for (const [path, method] of [
      ["/sql", "GET"],
      ["/other", "POST"],
      ["/sql", "PUT"],
      ["/", "GET"],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${handle.port}${path}`, { method, body: method === "GET" ? undefined : "{}" });
      expect(res.status).toBe(400);
      expect(await res.text()).toBe('"query is not supported"');
      expect(res.headers.get("neon-request-id")).toMatch(UUID_RE);
    }
  });

  it("OPTIONS preflight", async () => {
    const res = await fetch(handle.url, { method: "OPTIONS" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(res.headers.get("allow")).toBe("OPTIONS, POST");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toBe(
      "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level",
    );
    expect(res.headers.get("access-control-max-age")).toBe("86400");
  });

  it("batch headers are echoed only when set", async () => {
    const h = {
      ...clientHeaders(),
      "Neon-Batch-Isolation-Level": "RepeatableRead",
      "Neon-Batch-Read-Only": "true",
      "Neon-Batch-Deferrable": "true",
    };
    const r = await post({ queries: [{ query: "SELECT 1" }] }, h);
    expect(r.headers.get("neon-batch-isolation-level")).toBe("RepeatableRead");
    expect(r.headers.get("neon-batch-read-only")).toBe("true");
    expect(r.headers.get("neon-batch-deferrable")).toBe("true");
    const plain = await post({ queries: [{ query: "SELECT 1" }] }, { ...clientHeaders(), "Neon-Batch-Read-Only": "false" });
    expect(plain.headers.get("neon-batch-read-only")).toBeNull();
    expect(plain.headers.get("neon-batch-isolation-level")).toBeNull();
  });
});

describe("connection string and auth (A.2, A.7)", () => {
  const message = async (headers: Record<string, string>) => {
    const r = await post({ query: "SELECT 1" }, headers);
    expect(r.status).toBe(400);
    return JSON.parse(r.text).message as string;
  };

  it("rejects malformed connection strings with the proxy's messages", async () => {
    const base = clientHeaders();
    const { "Neon-Connection-String": _, ...noConn } = base;
    expect(await message(noConn)).toBe("invalid header: neon-connection-string");
    expect(await message(clientHeaders("not a url"))).toBe("invalid connection string: relative URL without a base");
    expect(await message(clientHeaders(handle.connectionString.replace(/^postgres:/, "mysql:")))).toBe("incorrect scheme");
    expect(await message(clientHeaders(connString({ user: "" })))).toBe("missing username");
    expect(await message(clientHeaders(connString({ host: "127.0.0.1" })))).toBe("missing hostname");
    expect(await message(clientHeaders(connString().replace(/\/[^/]*$/, "")))).toBe("missing database name");
    expect(await message(clientHeaders(connString().replace(/:[^:@]*@/, "@")))).toBe(
      "missing authentication credentials: required password",
    );
    expect(await message({ ...base, Authorization: "Bearer abc" })).toBe("missing authentication credentials: required password");
    expect(await message({ ...base, "Neon-Batch-Isolation-Level": "serializable" })).toBe("invalid isolation level");
  });

  it("wrong password and unknown role: 400, code ''", async () => {
    const e = await rejection(neon(connString({ password: "wrong" }))`SELECT 1`);
    expect(e).toBeInstanceOf(NeonDbError);
    expect(e.message).toBe("password authentication failed for user 'postgres'");
    expect(e.code).toBe("");
    const role = await rejection(neon(connString({ user: "nobody", password: "pw" }))`SELECT 1`);
    expect(role.message).toBe("password authentication failed for user 'nobody'");
  });

  it("unknown database: Postgres' own 3D000 error; other databases are routed", async () => {
    const e = await rejection(neon(connString({ db: "no_such_db" }))`SELECT 1`);
    expect(e).toMatchObject({ message: 'database "no_such_db" does not exist', code: "3D000", severity: "FATAL" });
    const other = await neon(connString({ db: "postgres" }))`SELECT current_database() AS db`;
    expect(other).toEqual([{ db: "postgres" }]);
  });
});

describe("neon() against the stand-in equals pg against Postgres", () => {
  const TYPES = `SELECT 1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8, 12345.678901234567890::numeric AS num,
    1.5::float4 AS f4, 0.1::float8 AS f8, 'NaN'::float8 AS fnan, 'Infinity'::float8 AS finf, '-Infinity'::float4 AS fninf,
    true AS t, false AS f, 'héllo ☃'::text AS txt, 'v'::varchar(10) AS vc, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id,
    '{"a":[1,2,{"b":null}]}'::json AS j, '{"b":2,"a":1}'::jsonb AS jb, ARRAY[1,NULL,3]::int[] AS ia,
    ARRAY['a',NULL,'b c','"q"','NULL']::text[] AS ta, '{{1,2},{3,NULL}}'::int[] AS md, ARRAY[true,NULL]::bool[] AS ba,
    ARRAY[1.5,NULL]::float8[] AS fa, '\\x00ff41'::bytea AS b, '2024-02-29'::date AS d,
    '2024-01-02 03:04:05.678'::timestamp AS ts, '2024-01-02 03:04:05.678+02'::timestamptz AS tstz,
    '1 year 2 mons 3 days 04:05:06.5'::interval AS iv, 'happy'::mood AS m, NULL::int AS nul, NULL::text AS nt,
    ARRAY['2024-01-01'::date, NULL] AS da`;

  it("every common type parses to the same values (object mode)", async () => {
    const expected = await direct.query(TYPES);
    const got = await sql.query(TYPES);
    expect(got).toEqual(expected.rows);
    expect(Buffer.from((got as Record<string, unknown>[])[0]!.b as Uint8Array).toString("hex")).toBe("00ff41");
  });

  it("every common type parses to the same values (array mode) with pg's fields", async () => {
    const expected = await direct.query({ text: TYPES, rowMode: "array" });
    const got = await sql.query(TYPES, [], { arrayMode: true, fullResults: true });
    expect(got.rows).toEqual(expected.rows);
    expect(got.fields).toEqual(plainFields(expected.fields));
    expect(got).toMatchObject({ command: "SELECT", rowCount: 1, rowAsArray: true, viaNeonFetch: true });
  });

  it("fields carry table and column ids like pg", async () => {
    const q = "SELECT id, name, qty, mood, name AS alias, now() AS t FROM items";
    const expected = await direct.query(q);
    const got = await sql.query(q, [], { fullResults: true });
    expect(got.fields).toEqual(plainFields(expected.fields));
    expect(got.fields[1]!.tableID).toBeGreaterThan(0);
    expect(got.fields[1]!.columnID).toBe(2);
  });

  it("tagged templates send parameters like the official client", async () => {
    const rows = await sql`SELECT ${1}::int AS n, ${"hello"} AS s, ${null}::text AS z, ${Buffer.from("ABC")} AS b,
      ${[1, 2, 3]}::int[] AS a, ${{ a: 1 }}::jsonb AS j, ${true}::bool AS t, ${10n}::int8 AS big,
      ${new Date("2024-01-02T03:04:05.678Z")}::timestamptz AS d, ${"it's"} AS q`;
    expect(rows).toEqual([
      {
        n: 1,
        s: "hello",
        z: null,
        b: Buffer.from("ABC"),
        a: [1, 2, 3],
        j: { a: 1 },
        t: true,
        big: "10",
        d: new Date("2024-01-02T03:04:05.678Z"),
        q: "it's",
      },
    ]);
    expect(await sql.query("SELECT $1 AS x", [null])).toEqual([{ x: null }]);
  });

  it("fullResults: command and rowCount per statement kind", async () => {
    const ins = await sql.query("INSERT INTO items (name) VALUES ($1), ($2)", ["fr1", "fr2"], { fullResults: true });
    expect(ins).toMatchObject({ command: "INSERT", rowCount: 2, fields: [], rows: [] });
    const upd = await sql.query("UPDATE items SET qty = qty + 1 WHERE name LIKE 'fr%'", [], { fullResults: true });
    expect(upd).toMatchObject({ command: "UPDATE", rowCount: 2 });
    const sel = await sql.query("SELECT name FROM items WHERE name LIKE 'fr%' ORDER BY name", [], { fullResults: true });
    expect(sel).toMatchObject({ command: "SELECT", rowCount: 2, rows: [{ name: "fr1" }, { name: "fr2" }], rowAsArray: false });
    const del = await sql.query("DELETE FROM items WHERE name LIKE 'fr%'", [], { fullResults: true });
    expect(del).toMatchObject({ command: "DELETE", rowCount: 2 });
  });

  it("transaction commits all statements", async () => {
    const res = await sql.transaction([
      sql`INSERT INTO items (name, qty) VALUES (${"tx1"}, 1)`,
      sql`INSERT INTO items (name, qty) VALUES (${"tx2"}, 2) RETURNING qty`,
      sql`SELECT count(*)::int AS n FROM items WHERE name LIKE 'tx%'`,
    ]);
    expect(res).toEqual([[], [{ qty: 2 }], [{ n: 2 }]]);
    expect(await count("name LIKE 'tx%'")).toBe(2);
    const fn = await sql.transaction((tx) => [tx`SELECT 1 AS a`, tx`SELECT 2 AS b`]);
    expect(fn).toEqual([[{ a: 1 }], [{ b: 2 }]]);
  });

  it("N11: a failing statement rolls the whole batch back and reports that single error", async () => {
    const e = await rejection(
      sql.transaction([
        sql`INSERT INTO items (name) VALUES (${"rolled-back"})`,
        sql`SELECT nope FROM items`,
        sql`INSERT INTO items (name) VALUES (${"never"})`,
      ]),
    );
    expect(e).toBeInstanceOf(NeonDbError);
    expect(e).toMatchObject({ code: "42703", message: 'column "nope" does not exist', position: "8" });
    expect(await count("name IN ('rolled-back', 'never')")).toBe(0);
  });

  it("isolation level, read-only and deferrable are applied", async () => {
    const show = [sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`, sql`SHOW transaction_deferrable`];
    const set = await sql.transaction(show, { isolationLevel: "Serializable", readOnly: true, deferrable: true });
    expect(set.flat()).toEqual([
      { transaction_isolation: "serializable" },
      { transaction_read_only: "on" },
      { transaction_deferrable: "on" },
    ]);
    const dflt = await sql.transaction(show);
    expect(dflt.flat()).toEqual([
      { transaction_isolation: "read committed" },
      { transaction_read_only: "off" },
      { transaction_deferrable: "off" },
    ]);
    const rr = await sql.transaction([sql`SHOW transaction_isolation`], { isolationLevel: "RepeatableRead" });
    expect(rr).toEqual([[{ transaction_isolation: "repeatable read" }]]);
    const e = await rejection(sql.transaction([sql`INSERT INTO items (name) VALUES ('ro')`], { readOnly: true }));
    expect(e).toMatchObject({ code: "25006", message: "cannot execute INSERT in a read-only transaction" });
    expect(await count("name = 'ro'")).toBe(0);
  });

  it("an invalid isolation level is a 400 without a Postgres code", async () => {
    const bad = neon(handle.connectionString, { isolationLevel: "Nope" as "Serializable" });
    const e = await rejection(bad.transaction([bad`SELECT 1`]));
    expect(e).toMatchObject({ message: "invalid isolation level", code: "" });
  });

  it("multiple statements in one query fail like Neon (42601)", async () => {
    const e = await rejection(sql.query("SELECT 1; SELECT 2"));
    expect(e).toMatchObject({ code: "42601", message: "cannot insert multiple commands into a prepared statement" });
  });

  it("a wrong parameter count is Postgres' bind error", async () => {
    const e = await rejection(sql.query("SELECT $1", []));
    expect(e).toMatchObject({ code: "08P01", message: 'bind message supplies 0 parameters, but prepared statement "" requires 1' });
    const more = await rejection(sql.query("SELECT 1", ["x"]));
    expect(more.message).toBe('bind message supplies 1 parameters, but prepared statement "" requires 0');
  });

  describe("errors carry the same fields as pg's", () => {
    const cases: [string, string, unknown[], Record<string, unknown>][] = [
      [
        "unique violation",
        "INSERT INTO items (name) VALUES ($1)",
        ["seed"],
        { code: "23505", constraint: "items_name_key", table: "items", schema: "public", detail: "Key (name)=(seed) already exists." },
      ],
      ["missing column", "SELECT nope FROM items", [], { code: "42703", position: "8", routine: "errorMissingColumn" }],
      [
        "not-null violation",
        "INSERT INTO nn (k, v) VALUES ($1, NULL)",
        [1],
        { code: "23502", column: "v", table: "nn", detail: "Failing row contains (1, null)." },
      ],
      [
        "error inside PL/pgSQL (internal query, where)",
        "DO $$ BEGIN EXECUTE 'SELECT nope'; END $$",
        [],
        { code: "42703", internalQuery: "SELECT nope", internalPosition: "8", position: undefined },
      ],
      ["bad enum input (dataType-free, hint-free)", "SELECT 'meh'::mood", [], { code: "22P02", position: "8" }],
    ];
    it.each(cases)("%s", async (_name, text, params, exact) => {
      const expected = await rejection(direct.query(text, params));
      const got = await rejection(sql.query(text, params));
      expect(got).toBeInstanceOf(NeonDbError);
      expect(got.name).toBe("NeonDbError");
      expect(errorFields(got)).toEqual(errorFields(expected as unknown as Record<string, unknown>));
      expect(got).toMatchObject({ severity: "ERROR", ...Object.fromEntries(Object.entries(exact).filter(([, v]) => v !== undefined)) });
      if ("position" in exact && exact.position === undefined) expect(got.position).toBeUndefined();
      expect(typeof got.file).toBe("string");
      expect(got.line).toMatch(/^\d+$/);
    });
  });

  it("413 and 507 with the proxy's messages; the stand-in keeps working after them", async () => {
    const big = await rejection(smallSql`SELECT ${"x".repeat(2000)} AS s`);
    const prefix413 = "Server error (HTTP status 413): ";
    expect(big.message.startsWith(prefix413)).toBe(true);
    expect(JSON.parse(big.message.slice(prefix413.length))).toMatchObject({
      message: "request is too large (max is 1024 bytes)",
      code: "",
    });
    const huge = await rejection(smallSql`SELECT repeat('x', 100) AS s FROM generate_series(1, 20)`);
    const prefix507 = "Server error (HTTP status 507): ";
    expect(huge.message.startsWith(prefix507)).toBe(true);
    expect(JSON.parse(huge.message.slice(prefix507.length))).toMatchObject({
      message: "response is too large (max is 1024 bytes)",
      code: "",
    });
    const inBatch = await rejection(
      smallSql.transaction([
        smallSql`INSERT INTO items (name) VALUES ('before-507')`,
        smallSql`SELECT repeat('x', 100) AS s FROM generate_series(1, 20)`,
      ]),
    );
    expect(inBatch.message.startsWith(prefix507)).toBe(true);
    expect(await count("name = 'before-507'")).toBe(0);
    expect(await smallSql`SELECT repeat('x', 100) AS s FROM generate_series(1, 5)`).toHaveLength(5);
  });

  it("N21: session state does not leak between requests, even on the same connection", async () => {
    const state = "SELECT pg_backend_pid() AS pid, current_setting('search_path') AS sp, current_setting('TimeZone') AS tz";
    const first = await sql.transaction([
      sql.query("SET search_path TO leak_test"),
      sql.query("SET TimeZone TO 'Asia/Tokyo'"),
      sql.query(state),
    ]);
    expect(first[2]).toEqual([{ pid: expect.any(Number), sp: "leak_test", tz: "Asia/Tokyo" }]);
    const pid = (first[2] as { pid: number }[])[0]!.pid;
    await sleep(50); // let the connection return to the pool (LIFO), so the next request gets it
    expect(await sql.query(state)).toEqual([{ pid, sp: '"$user", public', tz: "UTC" }]);

    await sql.query("CREATE TEMP TABLE leak_tmp (x int)");
    await sql.query("SELECT pg_advisory_lock(4242)");
    await sleep(50);
    expect(await sql`SELECT to_regclass('pg_temp.leak_tmp') AS t`).toEqual([{ t: null }]);
    const locks = await direct.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242");
    expect(locks.rows[0].n).toBe(0);
  });

  it("a SET inside a batch affects the rest of that batch only", async () => {
    const r = await sql.transaction([sql.query("SET IntervalStyle TO iso_8601"), sql.query("SELECT '1 day'::interval::text AS iv")]);
    expect(r[1]).toEqual([{ iv: "P1D" }]);
    await sleep(50);
    expect(await sql`SELECT '1 day'::interval::text AS iv`).toEqual([{ iv: "1 day" }]);
  });

  it("BEGIN as a single query returns 200 and does not leak into the next request", async () => {
    const before = await sql`SELECT pg_backend_pid() AS pid`;
    await sleep(50);
    const begin = await sql.query("BEGIN", [], { fullResults: true });
    expect(begin).toMatchObject({ command: "BEGIN", rowCount: null });
    await sleep(50);
    // Same connection (LIFO pool), and the insert is committed: no transaction was left open.
    const after = await sql`INSERT INTO items (name) VALUES ('after-begin') RETURNING pg_backend_pid() AS pid`;
    expect(after).toEqual([{ pid: (before as Record<string, unknown>[])[0]!.pid }]);
    expect(await count("name = 'after-begin'")).toBe(1);
  });

  it("a client that goes away cancels its running query", async () => {
    const ac = new AbortController();
    const req = fetch(handle.url, {
      method: "POST",
      headers: clientHeaders(),
      signal: ac.signal,
      body: JSON.stringify({ query: "SELECT pg_sleep(30), 'cancel-me' AS tag" }),
    }).catch(() => null);
    const running = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%''cancel-me''%' AND pid <> pg_backend_pid()";
    for (let i = 0; i < 50 && (await direct.query(running)).rows[0].n === 0; i++) await sleep(20);
    expect((await direct.query(running)).rows[0].n).toBe(1);
    ac.abort();
    await req;
    let left = 1;
    for (let i = 0; i < 100 && left > 0; i++) {
      await sleep(20);
      left = (await direct.query(running.replace("WHERE", "WHERE state = 'active' AND"))).rows[0].n;
    }
    expect(left).toBe(0);
  });

  it("a failed query does not break the next one", async () => {
    await rejection(sql.query("SELECT 1/0"));
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it("stats count one request per query and per batch", async () => {
    handle.stats.reset();
    expect(handle.stats).toMatchObject({ requests: 0, queries: 0, batches: 0 });
    await sql`SELECT 1`;
    await sql.query("SELECT 2");
    await rejection(sql.query("SELECT nope"));
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`]);
    expect(handle.stats).toMatchObject({ requests: 4, queries: 6, batches: 1 });
  });
});

// Last on purpose: drizzle's neon-http driver globally replaces the client's date/interval parsers.
describe("drizzle-orm/neon-http", () => {
  const dItems = pgTable("d_items", {
    id: serial("id").primaryKey(),
    name: text("name").notNull().unique(),
    qty: integer("qty").notNull().default(0),
  });
  let db: ReturnType<typeof drizzle>;
  beforeAll(() => {
    db = drizzle({ client: sql });
  });

  it("insert, select, update", async () => {
    const [row] = await db.insert(dItems).values({ name: "a", qty: 1 }).returning();
    expect(row).toEqual({ id: expect.any(Number), name: "a", qty: 1 });
    await db.update(dItems).set({ qty: 5 }).where(eq(dItems.name, "a"));
    expect(await db.select().from(dItems).where(eq(dItems.name, "a"))).toEqual([{ id: row!.id, name: "a", qty: 5 }]);
    expect(await db.select({ n: dItems.name }).from(dItems)).toEqual([{ n: "a" }]);
  });

  it("db.batch commits in one request", async () => {
    handle.stats.reset();
    const [ins, sel] = await db.batch([
      db.insert(dItems).values({ name: "b" }).returning({ name: dItems.name }),
      db.select({ name: dItems.name, qty: dItems.qty }).from(dItems).where(eq(dItems.name, "b")),
    ]);
    expect(ins).toEqual([{ name: "b" }]);
    expect(sel).toEqual([{ name: "b", qty: 0 }]);
    expect(handle.stats).toMatchObject({ requests: 1, batches: 1, queries: 2 });
  });

  it("db.batch with a failing statement leaves no rows", async () => {
    const e = await rejection(db.batch([db.insert(dItems).values({ name: "c" }), db.insert(dItems).values({ name: "a" })]));
    expect(JSON.stringify(e)).toBeDefined();
    const cause = (e.cause ?? e) as Record<string, unknown>;
    expect(cause.code).toBe("23505");
    const left = await direct.query("SELECT name FROM d_items ORDER BY name");
    expect(left.rows).toEqual([{ name: "a" }, { name: "b" }]);
  });
});
