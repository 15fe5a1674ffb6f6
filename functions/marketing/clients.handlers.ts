import type { AppRouteHandler } from "../../src/http/router";
import { and, eq, ilike, or } from "drizzle-orm";
import { containsPattern } from "../../src/db/like";
import { conflictOnDuplicate } from "../../src/http/conflicts";
import { location } from "../../src/http/location";
import { orderAndPage, pageOf } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import type * as routes from "./clients.routes";
import { marketingDb } from "./db";
import { clients } from "./schema";
import { clientJson } from "./shapes";

/** "Yaz Automate!" → "yaz-automate" (accents dropped, at most 100 characters). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

/** `clients/<owner id>/<slug>/`: two users' clients with the same slug never share files. Rows created before this keep `clients/<slug>/` (see README). */
const s3PrefixOf = (userId: string, slug: string) => `clients/${userId}/${slug}/`;

const slugUnique = <T>(write: PromiseLike<T>) =>
  conflictOnDuplicate(write, () =>
    conflict("You already have a client with this slug.", [{ path: "body.slug", message: "must be unique" }]),
  );

const mine = (id: string, userId: string) => and(eq(clients.id, id), eq(clients.userId, userId));

export const createClient: AppRouteHandler<typeof routes.createClient> = async (c) => {
  const { name, slug: given, description } = c.req.valid("json");
  const slug = given ?? slugify(name);
  if (!slug) {
    throw new HttpProblem({
      status: 400,
      type: problemTypes.validation,
      detail: "No slug can be derived from this name.",
      errors: [{ path: "body.slug", message: "required when the name has no letters or digits" }],
    });
  }
  const [client] = await slugUnique(
    marketingDb(c.env)
      .insert(clients)
      .values({ userId: c.var.principal.subject, name, slug, description, s3Prefix: s3PrefixOf(c.var.principal.subject, slug) })
      .returning(),
  );
  c.header("Location", location(c, `/clients/${client!.id}`));
  return c.json(clientJson(client!), 201);
};

const sortColumns = { name: clients.name, slug: clients.slug, createdAt: clients.createdAt, updatedAt: clients.updatedAt };

export const listClients: AppRouteHandler<typeof routes.listClients> = async (c) => {
  const q = c.req.valid("query");
  const o = orderAndPage(q, sortColumns, clients.id);
  const rows = await marketingDb(c.env)
    .select()
    .from(clients)
    .where(
      and(
        eq(clients.userId, c.var.principal.subject),
        q.q ? or(ilike(clients.name, containsPattern(q.q)), ilike(clients.slug, containsPattern(q.q))) : undefined,
      ),
    )
    .orderBy(...o.orderBy)
    .limit(o.limit)
    .offset(o.offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(clientJson) }, 200);
};

export const getClient: AppRouteHandler<typeof routes.getClient> = async (c) => {
  const [client] = await marketingDb(c.env)
    .select()
    .from(clients)
    .where(mine(c.req.valid("param").id, c.var.principal.subject));
  if (!client) throw notFound("No such client.");
  return c.json(clientJson(client), 200);
};

export const patchClient: AppRouteHandler<typeof routes.patchClient> = async (c) => {
  const { name, slug, description } = c.req.valid("json");
  const [client] = await slugUnique(
    marketingDb(c.env)
      .update(clients)
      .set({ name, slug, description, s3Prefix: slug ? s3PrefixOf(c.var.principal.subject, slug) : undefined })
      .where(mine(c.req.valid("param").id, c.var.principal.subject))
      .returning(),
  );
  if (!client) throw notFound("No such client.");
  return c.json(clientJson(client), 200);
};

export const deleteClient: AppRouteHandler<typeof routes.deleteClient> = async (c) => {
  // A client that runs still refer to fails on the foreign key: the platform maps that to 409.
  const gone = await marketingDb(c.env)
    .delete(clients)
    .where(mine(c.req.valid("param").id, c.var.principal.subject))
    .returning({ id: clients.id });
  if (gone.length === 0) throw notFound("No such client.");
  return c.body(null, 204);
};

export const getClientBySlug: AppRouteHandler<typeof routes.getClientBySlug> = async (c) => {
  const [client] = await marketingDb(c.env)
    .select()
    .from(clients)
    .where(and(eq(clients.userId, c.var.principal.subject), eq(clients.slug, c.req.valid("param").slug)));
  if (!client) throw notFound("No client of yours has this slug.");
  return c.json(clientJson(client), 200);
};
