/**
 * Fuzzed requests for one operation of /openapi.json (issue 15 §3): path, query and body are generated from the
 * operation's own schema and then mutated — wrong types, missing and extra fields, empty/huge/unicode/NUL strings,
 * deep nesting, numbers at and past limits, `__proto__`/`constructor` keys, SQL/LIKE/JSON meta characters, invalid
 * UUIDs and dates, wrong content types and truncated bodies. `judge` says what is wrong with an answer, if anything.
 */
import fc from "fast-check";
import { nasty, nastyStrings, resolver, type Schema, valid } from "./schema";

export interface FuzzOperation {
  method: string;
  /** OpenAPI path with `{param}` placeholders */
  path: string;
  op: Record<string, any>;
}

export interface FuzzRequest {
  /** which mutation made it (for the tables) */
  mutation: string;
  method: string;
  /** path and query */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/xml",
];

function jsonBodySchema(op: Record<string, any>): Schema | undefined {
  const content = op.requestBody?.content;
  return content?.["application/json"]?.schema;
}

/** Mutates one valid JSON value (usually an object) into something a careless handler may choke on. */
function mutatedBody(value: fc.Arbitrary<unknown>, schema: Schema): fc.Arbitrary<{ mutation: string; raw: string }> {
  const json = (mutation: string) => (v: unknown) => ({ mutation, raw: JSON.stringify(v) ?? "null" });
  const props = Object.keys(schema.properties ?? {});
  const field = props.length ? fc.constantFrom(...props) : fc.constantFrom("x");
  const asObject = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  return fc.oneof(
    { weight: 3, arbitrary: value.map(json("valid")) },
    {
      weight: 4,
      arbitrary: fc.tuple(value, field, nasty()).map(([v, k, bad]) => json("field: wrong value")({ ...asObject(v), [k]: bad })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(value, field).map(([v, k]) => {
        const o = { ...asObject(v) };
        delete o[k];
        return json("field missing")(o);
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(value, fc.constantFrom("__proto__", "constructor", "prototype", "extra", "$where", "id", "userId", "tenantId"))
        .map(([v, k]) => {
          const extra = JSON.parse(`{${JSON.stringify(k)}:{"admin":true,"polluted":1}}`);
          return json(`extra key ${k}`)({ ...extra, ...asObject(v) });
        }),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([], "text", 42, null, true, [{}]).map(json("not an object")) },
    { weight: 1, arbitrary: fc.constant({ mutation: "deep nesting", raw: `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}` }) },
    { weight: 1, arbitrary: value.map((v) => ({ mutation: "truncated", raw: (JSON.stringify(v) ?? "{}").slice(0, -1) })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("", "{", "}", "\u0000", '{"a":1,}', "[1,2", "\ufeff{}", '{"a":"\\ud800"}')
        .map((raw) => ({ mutation: "broken JSON", raw })),
    },
    { weight: 1, arbitrary: fc.constant({ mutation: "huge body", raw: JSON.stringify({ x: "y".repeat(2_000_000) }) }) },
  );
}

/** Percent-encodes a path segment; a lone surrogate goes out as the invalid UTF-8 a client could send. */
function encodeSegment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "\u0000")).replace(/%00/g, "%ED%A0%80");
  }
}

function paramValue(p: any, resolve: (s: Schema | undefined) => Schema): fc.Arbitrary<{ bad: boolean; v: string }> {
  const good = valid(p.schema, resolve).map((v) => ({ bad: false, v: typeof v === "string" ? v : (JSON.stringify(v) ?? "") }));
  const bad = fc
    .oneof(fc.constantFrom(...nastyStrings), fc.constant("x".repeat(5000)), fc.string({ unit: "binary", maxLength: 20 }))
    .map((v) => ({ bad: true, v }));
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 2, arbitrary: bad });
}

/** Requests for `o`; `ids` gives real values for path parameters (so some requests reach existing objects). */
export function fuzzRequests(o: FuzzOperation, doc: any, ids: Record<string, string> = {}): fc.Arbitrary<FuzzRequest> {
  const resolve = resolver(doc);
  const params: any[] = (o.op.parameters ?? []).map((p: any) => resolve(p));
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");
  const bodySchema = resolve(jsonBodySchema(o.op));
  const hasBody = !!o.op.requestBody;

  const pathArb = fc
    .tuple(
      ...pathParams.map((p) =>
        ids[p.name] ? fc.oneof(fc.constant({ bad: false, v: ids[p.name]! }), paramValue(p, resolve)) : paramValue(p, resolve),
      ),
    )
    .map((vals) => {
      let path = o.path;
      pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, encodeSegment(vals[i]!.v));
      });
      return { path, bad: vals.some((v) => v.bad) };
    });
  const queryArb = fc.tuple(...queryParams.map((p) => fc.option(paramValue(p, resolve), { nil: undefined, freq: 2 }))).map((vals) => {
    const q = new URLSearchParams();
    queryParams.forEach((p, i) => {
      const v = vals[i];
      if (v !== undefined) q.append(p.name, v.v);
    });
    return { query: q.toString(), bad: vals.some((v) => v?.bad) };
  });
  const bodyArb: fc.Arbitrary<{ mutation: string; raw?: string; contentType?: string }> = hasBody
    ? fc
        .tuple(
          mutatedBody(valid(bodySchema, resolve), bodySchema),
          fc.oneof(
            { weight: 6, arbitrary: fc.constant("application/json") },
            { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          ),
        )
        .map(([b, ct]) => ({
          ...b,
          mutation: ct === "application/json" ? b.mutation : `${b.mutation}, content-type ${ct ?? "none"}`,
          contentType: ct,
        }))
    : o.method === "GET" || o.method === "HEAD"
      ? fc.constant({ mutation: "no body" })
      : fc.oneof(
          { weight: 5, arbitrary: fc.constant({ mutation: "no body" }) },
          { weight: 1, arbitrary: fc.constant({ mutation: "unexpected body", raw: '{"a":1}', contentType: "application/json" }) },
        );

  return fc
    .tuple(pathArb, queryArb, bodyArb, fc.option(fc.constantFrom(...nastyStrings, "k".repeat(300)), { freq: 4 }))
    .map(([p, q, b, idemKey]) => {
      const parts = [p.bad ? "bad path param" : "", q.bad ? "bad query" : "", b.mutation].filter(Boolean);
      const headers: Record<string, string> = {};
      if (b.contentType) headers["Content-Type"] = b.contentType;
      if (idemKey !== null && o.method !== "GET" && /^[\x20-\x7e]*$/.test(idemKey)) {
        headers["Idempotency-Key"] = idemKey;
        parts.push("odd Idempotency-Key");
      }
      return {
        mutation: parts.join(", "),
        method: o.method,
        url: `${p.path}${q.query ? `?${q.query}` : ""}`,
        headers,
        body: b.raw,
      };
    });
}

/** What is wrong with an answer to a fuzzed request (null when nothing): 5xx, a 4xx that is not problem+json, a leak. */
export function judge(status: number, contentType: string | null, text: string): string | null {
  if (status >= 500) return `${status}`;
  if (status >= 400) {
    if (!(contentType ?? "").includes("application/problem+json")) return `${status} without problem+json (${contentType})`;
    try {
      const p = JSON.parse(text) as { status?: unknown; type?: unknown };
      if (p.status !== status || typeof p.type !== "string") return `${status}: problem body lacks status/type`;
    } catch {
      return `${status}: problem body is not JSON`;
    }
  }
  if (/Failed query|syntax error at or near|\n\s+at .+:\d+:\d+|node_modules|password authentication/i.test(text))
    return `${status}: leaks internals`;
  return null;
}
