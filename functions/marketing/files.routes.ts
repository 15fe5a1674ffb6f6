/**
 * A skill's files (admin) and a client's files (its owner) in R2: put, list, read, delete. The keys are the
 * ones the `marketing.executeRun` job reads: `<folder of skills.s3_key><file>` and `<clients.s3_prefix><file>`.
 * A client's are under `/clients/{id}/context/files`: `/clients/{id}/files` would be ambiguous with the seed's
 * `/clients/by-slug/{slug}` (redocly's no-ambiguous-paths).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, problemResponse, problemResponses, uuidParams } from "../../src/http/openapi";
import { adminAuth, adminSecurity, userAuth, userSecurity } from "./auth";
import { SkillNameParam } from "./skills.routes";

const tags = ["marketing"];

/** A file name: one path segment of letters, digits, `.`, `_`, `-`, not starting with `.`, never `..`. */
export const fileNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-', starting with a letter or digit")
  .refine((n) => !n.includes(".."), "must not contain '..'")
  .openapi({ param: { name: "file", in: "path" }, example: "SKILL.md" });

const skillFileParams = SkillNameParam.extend({ file: fileNameSchema });
const clientParams = uuidParams("id");
const clientFileParams = clientParams.extend({ file: fileNameSchema });

export const FileSchema = z
  .object({
    name: z.string().openapi({ description: "The key below the skill's or client's folder", example: "SKILL.md" }),
    size: z.number().int(),
    contentType: z.string().openapi({ example: "text/markdown; charset=utf-8" }),
    etag: z.string(),
    uploaded: z.iso.datetime(),
  })
  .openapi("MarketingFile");

const FilePage = z
  .object({
    items: z.array(FileSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
  })
  .openapi("MarketingFilePage");

export const ListFilesQuery = z.object({
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const putBody = {
  required: true,
  description:
    "The file's bytes. Its `Content-Type` is stored and returned on GET (without one: from the extension, else `application/octet-stream`). Files stored with a non-text type are not given to the model.",
  content: { "*/*": { schema: z.string().openapi({ format: "binary" }) } },
};
const tooLarge = problemResponse("The file is over MARKETING_FILE_MAX_BYTES (default 1 MiB), by `Content-Length` or as sent");
const storeDown = problemResponse("The file store failed or did not answer in time; retry after `Retry-After`");
const stored = (what: string) => jsonContent(FileSchema, what);
const content = {
  description: "The file, with the `Content-Type` it was stored with; served `nosniff`, sandboxed by CSP, HTML as an attachment",
  content: { "*/*": { schema: z.string().openapi({ format: "binary" }) } },
};

const skillRoute = { tags, security: adminSecurity, middleware: adminAuth } as const;
const noSkill = problemResponse("No skill has this name (or, on GET and DELETE, no such file)");

export const putSkillFile = createRoute({
  ...skillRoute,
  operationId: "marketingPutSkillFile",
  method: "put",
  path: "/skills/{name}/files/{file}",
  summary: "Write one of a skill's files (admin)",
  description:
    "Stored at `<folder of the skill's s3Key><file>`, e.g. `skills/copywriting/SKILL.md`: the keys the run executor reads (SKILL.md first, RULES.md next, then the rest by name).",
  request: { params: skillFileParams, body: putBody },
  responses: {
    200: stored("Replaced"),
    201: stored("Created; `Location` names it"),
    ...problemResponses(400, 401, 403, 409),
    404: noSkill,
    413: tooLarge,
    503: storeDown,
  },
});

export const listSkillFiles = createRoute({
  ...skillRoute,
  operationId: "marketingListSkillFiles",
  method: "get",
  path: "/skills/{name}/files",
  summary: "List a skill's files (admin)",
  description: "By key; `nextCursor` continues the listing.",
  request: { params: SkillNameParam, query: ListFilesQuery },
  responses: { 200: jsonContent(FilePage, "A page of files"), ...problemResponses(400, 401, 403), 404: noSkill, 503: storeDown },
});

export const getSkillFile = createRoute({
  ...skillRoute,
  operationId: "marketingGetSkillFile",
  method: "get",
  path: "/skills/{name}/files/{file}",
  summary: "Read one of a skill's files (admin)",
  request: { params: skillFileParams },
  responses: { 200: content, ...problemResponses(400, 401, 403), 404: noSkill, 503: storeDown },
});

export const deleteSkillFile = createRoute({
  ...skillRoute,
  operationId: "marketingDeleteSkillFile",
  method: "delete",
  path: "/skills/{name}/files/{file}",
  summary: "Delete one of a skill's files (admin)",
  request: { params: skillFileParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403), 404: noSkill, 503: storeDown },
});

const clientRoute = { tags, security: userSecurity, middleware: userAuth } as const;
const noClient = problemResponse("No such client of the caller's (or, on GET and DELETE, no such file)");

export const putClientFile = createRoute({
  ...clientRoute,
  operationId: "marketingPutClientFile",
  method: "put",
  path: "/clients/{id}/context/files/{file}",
  summary: "Write one of your client's context files",
  description: "Stored at `<the client's s3Prefix><file>`; the run executor gives the client's text files to the model.",
  request: { params: clientFileParams, body: putBody },
  responses: {
    200: stored("Replaced"),
    201: stored("Created; `Location` names it"),
    ...problemResponses(400, 401),
    404: noClient,
    413: tooLarge,
    503: storeDown,
  },
});

export const listClientFiles = createRoute({
  ...clientRoute,
  operationId: "marketingListClientFiles",
  method: "get",
  path: "/clients/{id}/context/files",
  summary: "List your client's context files",
  description: "By key; `nextCursor` continues the listing.",
  request: { params: clientParams, query: ListFilesQuery },
  responses: { 200: jsonContent(FilePage, "A page of files"), ...problemResponses(400, 401), 404: noClient, 503: storeDown },
});

export const getClientFile = createRoute({
  ...clientRoute,
  operationId: "marketingGetClientFile",
  method: "get",
  path: "/clients/{id}/context/files/{file}",
  summary: "Read one of your client's context files",
  request: { params: clientFileParams },
  responses: { 200: content, ...problemResponses(400, 401), 404: noClient, 503: storeDown },
});

export const deleteClientFile = createRoute({
  ...clientRoute,
  operationId: "marketingDeleteClientFile",
  method: "delete",
  path: "/clients/{id}/context/files/{file}",
  summary: "Delete one of your client's context files",
  request: { params: clientFileParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401), 404: noClient, 503: storeDown },
});
