/**
 * Is a value itself a valid JSON Schema (the draft 2020-12 keywords a tool's parameters use)? Checked
 * structurally, keyword by keyword and recursively, since no JSON Schema validator is among the dependencies.
 * Unknown keywords are allowed (the spec ignores them); known ones must have the spec's types.
 */
import { z } from "zod";

const TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
const nonNegInt = z.number().int().min(0);
const regex = z.string().refine((p) => {
  try {
    new RegExp(p, "u");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

type JsonSchema = boolean | { [k: string]: unknown };

const schema: z.ZodType<JsonSchema> = z.lazy(() => z.union([z.boolean(), node]));
const schemaList = z.lazy(() => z.array(schema).min(1));
const schemaMap = z.lazy(() => z.record(z.string(), schema));

const node = z.looseObject({
  $schema: z.string().optional(),
  $id: z.string().optional(),
  $ref: z.string().optional(),
  $defs: schemaMap.optional(),
  definitions: schemaMap.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z
    .union([
      z.enum(TYPES),
      z
        .array(z.enum(TYPES))
        .min(1)
        .refine((a) => new Set(a).size === a.length, "types must be unique"),
    ])
    .optional(),
  enum: z.array(z.unknown()).min(1).optional(),
  const: z.unknown().optional(),
  properties: schemaMap.optional(),
  patternProperties: z.lazy(() => z.record(regex, schema)).optional(),
  additionalProperties: schema.optional(),
  required: z
    .array(z.string())
    .refine((a) => new Set(a).size === a.length, "required names must be unique")
    .optional(),
  propertyNames: schema.optional(),
  minProperties: nonNegInt.optional(),
  maxProperties: nonNegInt.optional(),
  items: schema.optional(),
  prefixItems: schemaList.optional(),
  contains: schema.optional(),
  minItems: nonNegInt.optional(),
  maxItems: nonNegInt.optional(),
  uniqueItems: z.boolean().optional(),
  minLength: nonNegInt.optional(),
  maxLength: nonNegInt.optional(),
  pattern: regex.optional(),
  format: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  multipleOf: z.number().positive().optional(),
  allOf: schemaList.optional(),
  anyOf: schemaList.optional(),
  oneOf: schemaList.optional(),
  not: schema.optional(),
  if: schema.optional(),
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword, not a thenable
  then: schema.optional(),
  else: schema.optional(),
});

const parameters = node.refine((s) => s.type === "object", { message: 'the parameters schema must have type "object"', path: ["type"] });

/** A refinement for a JSON object field: it must be a tool's parameters, a JSON Schema of `type: "object"`. */
export function checkToolParameters(value: Record<string, unknown>, ctx: z.RefinementCtx) {
  const r = parameters.safeParse(value);
  if (!r.success)
    for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as (string | number)[] });
}
