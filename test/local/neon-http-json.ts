/**
 * JSON in and out of the Neon SQL-over-HTTP stand-in (protocols.md A.3, A.5):
 * the request payload, JSON params -> Postgres text, and Postgres text -> typed JSON
 * for requests that do not ask for raw text output.
 */

export interface QueryData {
  query: string;
  params: (string | null)[];
  arrayMode: boolean | undefined;
}
export type Payload = { kind: "single"; query: QueryData } | { kind: "batch"; queries: QueryData[] };

/** Throws a message in the style of serde (the proxy deserialises an untagged enum Single | Batch). */
export function parsePayload(body: string): Payload {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new Error(body.trim() === "" ? "EOF while parsing a value at line 1 column 0" : (e as Error).message);
  }
  const single = toQueryData(json);
  if (single) return { kind: "single", query: single };
  if (isObject(json) && Array.isArray(json.queries)) {
    const queries = json.queries.map(toQueryData);
    if (queries.every((q): q is QueryData => q !== null)) return { kind: "batch", queries };
  }
  throw new Error("data did not match any variant of untagged enum Payload");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toQueryData(v: unknown): QueryData | null {
  if (!isObject(v) || typeof v.query !== "string") return null;
  let params: (string | null)[] = [];
  if (v.params !== undefined) {
    if (!Array.isArray(v.params)) return null;
    params = v.params.map(jsonParamToPgText);
  }
  let arrayMode: boolean | undefined;
  if (v.arrayMode !== undefined && v.arrayMode !== null) {
    if (typeof v.arrayMode !== "boolean") return null;
    arrayMode = v.arrayMode;
  }
  return { query: v.query, params, arrayMode };
}

/** neon proxy json.rs json_value_to_pg_text */
export function jsonParamToPgText(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return jsonArrayToPgArray(v);
  return jsonText(v);
}

function jsonArrayToPgArray(v: unknown): string {
  if (v === null) return "NULL";
  if (Array.isArray(v)) return `{${v.map(jsonArrayToPgArray).join(",")}}`;
  if (isObject(v)) return JSON.stringify(jsonText(v));
  return jsonText(v);
}

/** serde_json's Value::to_string: like JSON.stringify, but floats are printed the way ryu does. */
function jsonText(v: unknown): string {
  if (typeof v === "number") return Number.isSafeInteger(v) ? String(v) : formatF64(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** Rust's ryu float formatting (used by serde_json for f64): "1.0", "1e16", "1.5e-7", "0.001". */
export function formatF64(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant = "", expPart = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const length = digits.length;
  const kk = Number(expPart) + 1; // position of the decimal point relative to the digits
  const k = kk - length;
  let out: string;
  if (k >= 0 && kk <= 16) out = `${digits}${"0".repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) out = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) out = `0.${"0".repeat(-kk)}${digits}`;
  else if (length === 1) out = `${digits}e${kk - 1}`;
  else out = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + out;
}

// ---- typed (non-raw) output, neon proxy json.rs pg_text_to_json ----

const BOOL = 16,
  INT2 = 21,
  INT4 = 23,
  FLOAT4 = 700,
  FLOAT8 = 701,
  JSON_OID = 114,
  JSONB = 3802;

/** Built-in array types (pg_type, typcategory 'A', oid < 10000): only these are converted to JSON arrays. */
const ARRAY_OIDS = new Set([
  143, 199, 210, 270, 271, 272, 273, 629, 651, 719, 775, 791, 1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
  1014, 1015, 1016, 1017, 1018, 1019, 1020, 1021, 1022, 1027, 1028, 1034, 1040, 1041, 1115, 1182, 1183, 1185, 1187, 1231, 1263, 1270, 1561,
  1563, 2201, 2207, 2208, 2209, 2210, 2211, 2949, 2951, 3221, 3643, 3644, 3645, 3735, 3770, 3807, 3905, 3907, 3909, 3911, 3913, 3927, 4073,
  4090, 4097, 4192, 5039, 6150, 6151, 6152, 6153, 6155, 6157,
]);
/** Element types whose JSON form is not a string; every other element stays a string. */
const ARRAY_ELEM = new Map([
  [1000, BOOL],
  [1005, INT2],
  [1007, INT4],
  [1021, FLOAT4],
  [1022, FLOAT8],
  [199, JSON_OID],
  [3807, JSONB],
]);

/** Returns the JSON text for one non-null cell. */
export function pgTextToJson(val: string, oid: number): string {
  if (ARRAY_OIDS.has(oid)) return pgArrayToJson(val, ARRAY_ELEM.get(oid) ?? 0);
  switch (oid) {
    case BOOL:
      return val === "t" ? "true" : "false";
    case INT2:
    case INT4: {
      if (!/^[+-]?\d+$/.test(val)) throw new Error(`parse int error: ${val}`);
      return String(Number(val));
    }
    case FLOAT4:
    case FLOAT8: {
      const f = Number(val);
      if (Number.isNaN(f) && val !== "NaN") throw new Error(`parse float error: ${val}`);
      return Number.isFinite(f) ? formatF64(f) : JSON.stringify(val);
    }
    case JSON_OID:
    case JSONB:
      return val;
    default:
      return JSON.stringify(val);
  }
}

function pgArrayToJson(text: string, elem: number): string {
  let s = text;
  // Dimension decoration like "[1:1][-2:-1]={...}" has no JSON form: dropped.
  if (s.startsWith("[")) {
    const eq = s.indexOf("=");
    if (eq < 0) throw new Error("unbalanced array");
    s = s.slice(eq + 1);
  }
  s = s.trimStart();
  const [json, rest] = parseInner(s, elem);
  if (rest !== "") throw new Error("unbalanced array");
  return json;
}

function parseInner(input: string, elem: number): [string, string] {
  if (!input.startsWith("{")) throw new Error("unbalanced array");
  let s = input.slice(1);
  const items: string[] = [];
  for (;;) {
    let item: string;
    [item, s] = parseItem(s, elem);
    items.push(item);
    if (s.startsWith(",")) s = s.slice(1);
    else break;
  }
  if (!s.startsWith("}")) throw new Error("unbalanced array");
  return [`[${items.join(",")}]`, s.slice(1).trimStart()];
}

function parseItem(input: string, elem: number): [string, string] {
  let s = input.trimStart();
  if (s.startsWith("{")) return parseInner(s, elem);
  if (s.startsWith('"')) {
    s = s.slice(1);
    let out = "";
    for (;;) {
      const i = s.search(/[\\"]/);
      if (i < 0) throw new Error("unbalanced quoted string");
      out += s.slice(0, i);
      const end = s[i];
      s = s.slice(i + 1);
      if (end === '"') break;
      if (s === "") throw new Error("unbalanced quoted string");
      const ch = String.fromCodePoint(s.codePointAt(0)!);
      out += ch;
      s = s.slice(ch.length);
    }
    return [pgTextToJson(out, elem), s.trimStart()];
  }
  const i = s.search(/[,}]/);
  if (i < 0) throw new Error("unbalanced array");
  const item = s.slice(0, i).trimEnd();
  return [item === "NULL" ? "null" : pgTextToJson(item, elem), s.slice(i)];
}
