/**
 * fast-check arbitraries from the OpenAPI (JSON Schema) of an operation: `valid(schema)` makes values the schema
 * accepts (as far as a generator can: formats, enums, bounds, required keys), `nasty` the values a careless
 * handler chokes on. Pure (no Node or workerd APIs): the workerd suite and `npm run fuzz` share it.
 */
import fc from "fast-check";

export type Schema = Record<string, any>;

/** Resolves `#/components/...` references against the served document. */
export function resolver(doc: any): (s: Schema | undefined) => Schema {
  return (s) => {
    let out = s ?? {};
    for (let i = 0; i < 10 && typeof out.$ref === "string"; i++) {
      out =
        out.$ref
          .slice(2)
          .split("/")
          .reduce((node: any, part: string) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc) ?? {};
    }
    return out;
  };
}

const HUGE = 200_000;

/** Strings that break parsers, queries and templates. */
export const nastyStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  "%",
  "_",
  "\\",
  "%_\\%",
  '"}{"',
  "{{7*7}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  "${process.env}",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\ud800",
  "\uffff",
  "🙂‍↔️👩🏽‍🚀",
  "\u202eevil",
  "é\u0301\u0301\u0301",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  "2026-02-30T25:61:61Z",
  "0000-00-00",
  "9999-12-31T23:59:59.999Z",
  "-1",
  "1e309",
  "NaN",
  "true",
  "null",
  "__proto__",
  "constructor",
];

export const nastyNumbers = [
  0,
  -0,
  -1,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  5e-324,
];

/** A value of the wrong kind, for any field. */
export function nasty(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...nastyStrings),
    fc.constantFrom(...nastyNumbers),
    fc.constantFrom(null, true, false, [], {}, [null], { "": "" }),
    fc.constant("x".repeat(HUGE)),
    fc.constant(JSON.parse('{"__proto__":{"admin":true,"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}')),
    fc.integer({ min: 50, max: 300 }).map((depth) => deep(depth)),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

export function deep(depth: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as string[]));
  switch (s.format) {
    case "uuid":
      return fc.uuid({ version: 4 });
    case "date-time":
      return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
    case "date":
      return fc
        .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case "email":
      return fc.emailAddress();
    case "uri":
    case "url":
      return fc.webUrl();
  }
  if (typeof s.pattern === "string") {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 200));
    } catch {
      // an ECMAScript-incompatible pattern: fall through to a plain string
    }
  }
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 24, minLength + 24));
  return fc.string({ minLength, maxLength, unit: "grapheme-ascii" });
}

function numberFor(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : -1000);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? Number(s.exclusiveMaximum) - 1 : 1000);
  const min = Math.max(lo, -(2 ** 31));
  const max = Math.min(Math.max(hi, min), 2 ** 31 - 1);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts (best effort: a refinement the schema cannot express may still reject them). */
export function valid(s0: Schema | undefined, resolve: (s: Schema | undefined) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(s0);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts) && alts.length) return fc.oneof(...alts.map((a: Schema) => valid(a, resolve, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) {
    const merged: Schema = { properties: {}, required: [] };
    for (const part of s.allOf.map(resolve)) {
      Object.assign(merged, part, {
        properties: Object.assign(merged.properties, part.properties),
        required: merged.required.concat(part.required ?? []),
      });
    }
    return valid(merged, resolve, depth + 1);
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ["object"] : [];
  const withNull = (a: fc.Arbitrary<unknown>) => (s.nullable || types.includes("null") ? fc.oneof(a, fc.constant(null)) : a);
  const type = types.find((t) => t !== "null");
  switch (type) {
    case "string":
      return withNull(stringFor(s));
    case "integer":
      return withNull(numberFor(s, true));
    case "number":
      return withNull(numberFor(s, false));
    case "boolean":
      return withNull(fc.boolean());
    case "array": {
      const minLength = s.minItems ?? 0;
      return withNull(
        fc.array(valid(s.items, resolve, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)) }),
      );
    }
    case "object": {
      const props: Record<string, Schema> = s.properties ?? {};
      const keys = Object.keys(props);
      if (keys.length === 0) return withNull(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) model[k] = valid(props[k], resolve, depth + 1);
      return withNull(fc.record(model, { requiredKeys: (s.required ?? []).filter((k: string) => keys.includes(k)) }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
