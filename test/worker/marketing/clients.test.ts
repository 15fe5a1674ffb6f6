import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, createClient, createRun, createUser, fieldPaths, json, problem, type TestUser, upsertSkill } from "./helpers";
import { bearer, client, uniq } from "../helpers";

describe("marketing clients", () => {
  let ana: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    ana = await createUser();
    bob = await createUser();
  });

  it("creates a client with a slug derived from the name and s3Prefix clients/<owner>/<slug>/ (201 + Location)", async () => {
    const res = await call("POST", "/clients", { token: ana.key, body: { name: "Yaz Automate — Café!", description: "SaaS" } });
    const client = await json(res, 201);
    expect(res.headers.get("location")).toBe(`/v1/marketing/clients/${client.id}`);
    expect(client).toMatchObject({
      name: "Yaz Automate — Café!",
      slug: "yaz-automate-cafe",
      s3Prefix: `clients/${ana.id}/yaz-automate-cafe/`,
      description: "SaaS",
    });
    const [row] = await sql("SELECT user_id, slug, s3_prefix FROM marketing.clients WHERE id = $1", [client.id]);
    expect(row).toEqual({ user_id: ana.id, slug: "yaz-automate-cafe", s3_prefix: `clients/${ana.id}/yaz-automate-cafe/` });
  });

  it("takes a given slug; the same slug twice for one user is 409, for another user fine", async () => {
    const slug = uniq("acme");
    await createClient(ana, "Acme", { slug });
    const clash = await problem(await call("POST", "/clients", { token: ana.key, body: { name: "Acme 2", slug } }), 409);
    expect(fieldPaths(clash)).toEqual(["body.slug"]);
    const derivedClash = await problem(await call("POST", "/clients", { token: ana.key, body: { name: slug } }), 409);
    expect(derivedClash.detail).toMatch(/slug/);
    const other = await createClient(bob, "Acme", { slug });
    expect(other.slug).toBe(slug);
  });

  it("bad input → 400 naming each field", async () => {
    const body = await problem(await call("POST", "/clients", { token: ana.key, body: { name: "", slug: "Not A Slug" } }), 400);
    expect(fieldPaths(body).sort()).toEqual(["body.name", "body.slug"]);
    const noSlug = await problem(await call("POST", "/clients", { token: ana.key, body: { name: "!!!" } }), 400);
    expect(fieldPaths(noSlug)).toEqual(["body.slug"]);
    const tooLong = await problem(await call("POST", "/clients", { token: ana.key, body: { name: "x".repeat(101) } }), 400);
    expect(fieldPaths(tooLong)).toEqual(["body.name"]);
    await problem(await call("POST", "/clients", { token: ana.key, raw: "{nope" }), 400);
  });

  it("gets and patches a client; changing the slug moves the prefix, renaming alone keeps it", async () => {
    const c = await createClient(ana, uniq("Patch Me"));
    const renamed = await json(await call("PATCH", `/clients/${c.id}`, { token: ana.key, body: { name: "Renamed" } }), 200);
    expect(renamed).toMatchObject({ name: "Renamed", slug: c.slug, s3Prefix: c.s3Prefix });
    expect(new Date(renamed.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime());
    const slug = uniq("moved");
    const moved = await json(await call("PATCH", `/clients/${c.id}`, { token: ana.key, body: { slug, description: null } }), 200);
    expect(moved).toMatchObject({ slug, s3Prefix: `clients/${ana.id}/${slug}/`, description: null });
    expect(await json(await call("GET", `/clients/${c.id}`, { token: ana.key }), 200)).toEqual(moved);
    const [row] = await sql("SELECT name, slug, s3_prefix FROM marketing.clients WHERE id = $1", [c.id]);
    expect(row).toEqual({ name: "Renamed", slug, s3_prefix: `clients/${ana.id}/${slug}/` });
  });

  it("a patch needs at least one valid field; a slug clash on patch is 409", async () => {
    const a = await createClient(ana, uniq("Left"));
    const b = await createClient(ana, uniq("Right"));
    await problem(await call("PATCH", `/clients/${a.id}`, { token: ana.key, body: {} }), 400);
    const bad = await problem(await call("PATCH", `/clients/${a.id}`, { token: ana.key, body: { slug: "--" } }), 400);
    expect(fieldPaths(bad)).toEqual(["body.slug"]);
    await problem(await call("PATCH", `/clients/${a.id}`, { token: ana.key, body: { slug: b.slug } }), 409);
  });

  it("lists only the caller's clients, paginated, searchable and sortable", async () => {
    const u = await createUser();
    for (const n of ["Delta", "Alpha", "Charlie", "Bravo"]) await createClient(u, n);
    await createClient(bob, "Alpha Bob");
    // through the typed client: query and page are checked against /openapi.json at compile time
    const page = async (query: { sortBy?: "name"; sortDirection?: "asc"; pageSize?: number; page?: number; q?: string }) => {
      const { data, response } = await client.GET("/v1/marketing/clients", { ...bearer(u.key), params: { query } });
      expect(response.status).toBe(200);
      return data!;
    };
    const p1 = await page({ sortBy: "name", sortDirection: "asc", pageSize: 3 });
    expect(p1).toMatchObject({ page: 1, pageSize: 3, hasNext: true });
    expect(p1.items.map((c) => c.name)).toEqual(["Alpha", "Bravo", "Charlie"]);
    const p2 = await page({ sortBy: "name", sortDirection: "asc", pageSize: 3, page: 2 });
    expect(p2.items.map((c) => c.name)).toEqual(["Delta"]);
    expect(p2.hasNext).toBe(false);
    const found = await page({ q: "ALPH" });
    expect(found.items.map((c) => c.name)).toEqual(["Alpha"]);
    const bad = await problem(await call("GET", "/clients?pageSize=500&sortBy=nope", { token: u.key }), 400);
    expect(fieldPaths(bad).sort()).toEqual(["query.pageSize", "query.sortBy"]);
  });

  it("another user's client is 404 for get, patch and delete, and stays untouched", async () => {
    const c = await createClient(ana, uniq("Private"));
    await problem(await call("GET", `/clients/${c.id}`, { token: bob.key }), 404);
    await problem(await call("PATCH", `/clients/${c.id}`, { token: bob.key, body: { name: "Hijacked" } }), 404);
    await problem(await call("DELETE", `/clients/${c.id}`, { token: bob.key }), 404);
    const [row] = await sql("SELECT name FROM marketing.clients WHERE id = $1", [c.id]);
    expect(row!.name).toBe(c.name);
  });

  it("a malformed id is 400 naming path.id; an unknown one 404", async () => {
    const bad = await problem(await call("GET", "/clients/123", { token: ana.key }), 400);
    expect(fieldPaths(bad)).toEqual(["path.id"]);
    await problem(await call("DELETE", "/clients/00000000-0000-4000-8000-000000000000", { token: ana.key }), 404);
  });

  it("deletes a client (204); one that runs refer to is 409 and stays", async () => {
    const gone = await createClient(ana, uniq("Gone"));
    expect((await call("DELETE", `/clients/${gone.id}`, { token: ana.key })).status).toBe(204);
    expect(await sql("SELECT 1 FROM marketing.clients WHERE id = $1", [gone.id])).toEqual([]);
    await problem(await call("GET", `/clients/${gone.id}`, { token: ana.key }), 404);

    const skill = uniq("client-skill");
    await upsertSkill(skill);
    const used = await createClient(ana, uniq("Used"));
    await createRun(ana, skill, { clientId: used.id });
    await problem(await call("DELETE", `/clients/${used.id}`, { token: ana.key }), 409);
    expect(await sql("SELECT 1 FROM marketing.clients WHERE id = $1", [used.id])).toHaveLength(1);
  });
});
