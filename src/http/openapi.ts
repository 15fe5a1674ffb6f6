/** Building blocks for route definitions: the problem+json responses every route declares, JSON bodies, uuid path ids. */
import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string().openapi({ example: "body.name" }), message: z.string() })).optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

const defaults = {
  400: "Invalid input: `errors` names each offending field (`body.x`, `query.x`, `path.x`)",
  401: "Missing or invalid credentials",
  403: "The credentials are not allowed here",
  404: "No such resource for the caller",
  409: "Conflicts with the resource's current state",
  413: "The body is larger than allowed",
  422: "The body refers to a resource that does not exist",
  429: "Too many requests",
  503: "A dependency is unavailable; retry after `Retry-After`",
} as const;
export type ProblemStatus = keyof typeof defaults;

export function problemResponse(description: string) {
  return { description, content: { "application/problem+json": { schema: ProblemSchema } } };
}

/** `{ 400: …, 401: … }` with the default descriptions; spread it and override single codes with problemResponse(). */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(defaults[s])])) as { [K in S]: ReturnType<typeof problemResponse> };
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

/** A path parameter that must be a uuid: anything else answers 400 naming `path.<name>`, never a database error. */
export function uuidParams<const N extends string>(...names: N[]) {
  return z.object(
    Object.fromEntries(names.map((n) => [n, z.uuid().openapi({ param: { name: n, in: "path" } })])) as { [K in N]: z.ZodUUID },
  );
}
