import { and, eq } from "drizzle-orm";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import type { AppEnv } from "../../src/env";
import type { AppContext } from "../../src/http/context";
import { location } from "../../src/http/location";
import type { AppRouteHandler } from "../../src/http/router";
import type { Context } from "hono";
import { marketingConfig } from "./config";
import { marketingDb } from "./db";
import { defaultContentType, inFileStore, isUsableSkillFolder, skillPrefix } from "./file-store";
import type * as routes from "./files.routes";
import { clients, skills } from "./schema";
import { storedContentHeaders } from "./served-content";

/** The folder of a skill's files; 404 when there is no such skill. */
async function skillFolder(env: AppEnv, name: string): Promise<string> {
  const [row] = await marketingDb(env).select({ s3Key: skills.s3Key }).from(skills).where(eq(skills.name, name));
  if (!row) throw notFound("No skill has this name.");
  return skillPrefix(row.s3Key);
}

/** The folder of one of the caller's clients; another user's client is a 404 like a missing one. */
async function clientFolder(env: AppEnv, id: string, userId: string): Promise<string> {
  const [row] = await marketingDb(env)
    .select({ prefix: clients.s3Prefix })
    .from(clients)
    .where(and(eq(clients.id, id), eq(clients.userId, userId)));
  if (!row) throw notFound("No such client.");
  return row.prefix;
}

/** What the shared steps need of a route's context (the skill and client routes have different variables). */
// biome-ignore lint/suspicious/noExplicitAny: any route's path and input
type Ctx<E extends AppContext = AppContext> = Context<E, any, any>;

const tooLarge = (max: number, what: string) =>
  new HttpProblem({ status: 413, type: problemTypes.tooLarge, detail: `The file ${what}; at most ${max} bytes are accepted.` });

/** `type/subtype` with optional `; name=value` parameters: what is stored as the object's Content-Type. */
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

function contentTypeOf<E extends AppContext>(c: Ctx<E>, file: string): string {
  const given = c.req.header("content-type")?.trim();
  if (!given) return defaultContentType(file);
  if (given.length > 200 || !MEDIA_TYPE.test(given)) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "The Content-Type is not a media type.",
      errors: [{ path: "header.content-type", message: "type/subtype, optionally with parameters, at most 200 characters" }],
    });
  }
  return given;
}

/** The body, at most `max` bytes: a larger `Content-Length` is refused before reading, and a body sent without one is counted as it streams. */
async function boundedBody(req: Request, max: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > max) throw tooLarge(max, `is ${declared} bytes`);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max, "is larger than allowed");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const fileJson = (name: string, o: R2Object) => ({
  name,
  size: o.size,
  contentType: o.httpMetadata?.contentType ?? "application/octet-stream",
  etag: o.etag,
  uploaded: o.uploaded.toISOString(),
});

async function putFile<E extends AppContext>(c: Ctx<E>, folder: string, file: string, path: string) {
  const max = marketingConfig(c.env).fileMaxBytes;
  const contentType = contentTypeOf(c, file);
  const bytes = await boundedBody(c.req.raw, max);
  const key = `${folder}${file}`;
  const existed = await inFileStore(c.env, () => c.env.FILES.head(key));
  const object = await inFileStore(c.env, () => c.env.FILES.put(key, bytes, { httpMetadata: { contentType } }));
  const body = fileJson(file, object!);
  if (existed) return c.json(body, 200);
  c.header("Location", location(c, path));
  return c.json(body, 201);
}

async function listFiles<E extends AppContext>(c: Ctx<E>, folder: string, q: { cursor?: string; limit: number }) {
  // The cursor is the last name of the previous page (R2's startAfter), so it never expires and any string is valid.
  const page = await inFileStore(c.env, () =>
    c.env.FILES.list({
      prefix: folder,
      limit: q.limit,
      startAfter: q.cursor ? `${folder}${q.cursor}` : undefined,
      include: ["httpMetadata"],
    }),
  );
  const items = page.objects.map((o) => fileJson(o.key.slice(folder.length), o));
  return c.json({ items, nextCursor: page.truncated && items.length ? items.at(-1)!.name : null }, 200);
}

async function getFile<E extends AppContext>(c: Ctx<E>, folder: string, file: string) {
  const object = await inFileStore(c.env, () => c.env.FILES.get(`${folder}${file}`));
  if (!object) throw notFound("No such file.");
  return c.body(
    object.body,
    200,
    storedContentHeaders({
      contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
      size: object.size,
      etag: object.httpEtag,
      filename: file,
    }),
  );
}

async function deleteFile<E extends AppContext>(c: Ctx<E>, folder: string, file: string) {
  const key = `${folder}${file}`;
  if (!(await inFileStore(c.env, () => c.env.FILES.head(key)))) throw notFound("No such file.");
  await inFileStore(c.env, () => c.env.FILES.delete(key));
  return c.body(null, 204);
}

/** A skill whose s3Key names no folder of its own (the bucket's root, outputs/ or clients/) gets no files. */
async function writableSkillFolder(env: AppEnv, name: string): Promise<string> {
  const folder = await skillFolder(env, name);
  if (!isUsableSkillFolder(folder)) {
    throw conflict(`The skill's s3Key names "${folder}", which is not a folder of its own: set it to e.g. skills/${name}/ first.`);
  }
  return folder;
}

export const putSkillFile: AppRouteHandler<typeof routes.putSkillFile> = async (c) => {
  const { name, file } = c.req.valid("param");
  return putFile(c, await writableSkillFolder(c.env, name), file, `/skills/${name}/files/${file}`);
};

export const listSkillFiles: AppRouteHandler<typeof routes.listSkillFiles> = async (c) =>
  listFiles(c, await skillFolder(c.env, c.req.valid("param").name), c.req.valid("query"));

export const getSkillFile: AppRouteHandler<typeof routes.getSkillFile> = async (c) => {
  const { name, file } = c.req.valid("param");
  return getFile(c, await skillFolder(c.env, name), file);
};

export const deleteSkillFile: AppRouteHandler<typeof routes.deleteSkillFile> = async (c) => {
  const { name, file } = c.req.valid("param");
  return deleteFile(c, await writableSkillFolder(c.env, name), file);
};

export const putClientFile: AppRouteHandler<typeof routes.putClientFile> = async (c) => {
  const { id, file } = c.req.valid("param");
  return putFile(c, await clientFolder(c.env, id, c.var.principal.subject), file, `/clients/${id}/context/files/${file}`);
};

export const listClientFiles: AppRouteHandler<typeof routes.listClientFiles> = async (c) =>
  listFiles(c, await clientFolder(c.env, c.req.valid("param").id, c.var.principal.subject), c.req.valid("query"));

export const getClientFile: AppRouteHandler<typeof routes.getClientFile> = async (c) => {
  const { id, file } = c.req.valid("param");
  return getFile(c, await clientFolder(c.env, id, c.var.principal.subject), file);
};

export const deleteClientFile: AppRouteHandler<typeof routes.deleteClientFile> = async (c) => {
  const { id, file } = c.req.valid("param");
  return deleteFile(c, await clientFolder(c.env, id, c.var.principal.subject), file);
};
