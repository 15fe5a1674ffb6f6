/**
 * The benchmarked module routes written the conventional way: plain SQL over a pg pool, the API key
 * checked against Postgres on every request (the database is next door), Redis over TCP for the hot read.
 * Same work and same answers as the Worker's routes, without OpenAPI, problem+json or edge concerns.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import type pg from "pg";
import type { RespPool } from "../../test/local/resp.js";

export interface ConventionalDeps {
  pool: pg.Pool;
  redis: RespPool | null;
}

async function userOf(c: Context, pool: pg.Pool): Promise<string | null> {
  const m = c.req.header("authorization")?.match(/^Bearer (mk_[a-z0-9]+)_(.+)$/);
  if (!m) return null;
  const { rows } = await pool.query<{ id: string; api_key_hash: string }>(
    "SELECT id, api_key_hash FROM marketing.users WHERE api_key = $1",
    [m[1]],
  );
  const digest = createHash("sha256").update(m[2]!).digest("hex");
  const row = rows[0];
  return row && timingSafeEqual(Buffer.from(digest), Buffer.from(row.api_key_hash)) ? row.id : null;
}

export function mountConventionalRoutes(app: Hono, { pool, redis }: ConventionalDeps): void {
  app.get("/v1/marketing/clients/:id", async (c) => {
    const user = await userOf(c, pool);
    if (!user) return c.json({ status: 401 }, 401);
    const { rows } = await pool.query("SELECT * FROM marketing.clients WHERE id = $1 AND user_id = $2", [c.req.param("id"), user]);
    return rows[0] ? c.json(rows[0]) : c.json({ status: 404 }, 404);
  });

  app.get("/v1/marketing/clients", async (c) => {
    const user = await userOf(c, pool);
    if (!user) return c.json({ status: 401 }, 401);
    const q = `%${(c.req.query("q") ?? "").replace(/[%_\\]/g, "\\$&")}%`;
    const pageSize = Number(c.req.query("pageSize") ?? 20);
    const { rows } = await pool.query(
      "SELECT * FROM marketing.clients WHERE user_id = $1 AND (name ILIKE $2 OR slug ILIKE $2) ORDER BY created_at DESC, id DESC LIMIT $3",
      [user, q, pageSize + 1],
    );
    return c.json({ items: rows.slice(0, pageSize), page: 1, pageSize, hasNext: rows.length > pageSize });
  });

  app.post("/v1/marketing/clients", async (c) => {
    const user = await userOf(c, pool);
    if (!user) return c.json({ status: 401 }, 401);
    const body = await c.req.json<{ name: string; slug: string }>().catch(() => null);
    if (!body?.name || !body.slug) return c.json({ status: 400 }, 400);
    const { rows } = await pool.query(
      "INSERT INTO marketing.clients (user_id, name, slug, s3_prefix) VALUES ($1, $2, $3, $4) RETURNING *",
      [user, body.name, body.slug, `clients/${body.slug}/`],
    );
    return c.json(rows[0], 201);
  });

  app.post("/v1/marketing/runs/:id/start", async (c) => {
    const user = await userOf(c, pool);
    if (!user) return c.json({ status: 401 }, 401);
    const { rows } = await pool.query(
      "UPDATE marketing.runs SET status = 'running', started_at = now() WHERE id = $1 AND user_id = $2 AND status = 'queued' RETURNING *",
      [c.req.param("id"), user],
    );
    return rows[0] ? c.json(rows[0]) : c.json({ status: 409 }, 409);
  });

  app.get("/v1/blog/dresses/:externalId", async (c) => {
    const id = c.req.param("externalId");
    const key = `bench:conventional:dress:${id}`;
    if (redis) {
      const hit = await redis.send(["GET", key]);
      if (hit.type === "bulk") return c.body(hit.value.toString("utf8"), 200, { "content-type": "application/json", "x-cache": "redis" });
    }
    const { rows } = await pool.query("SELECT * FROM blog.cached_dresses WHERE external_id = $1 AND expires_at > now()", [id]);
    if (!rows[0]) return c.json({ status: 404 }, 404);
    const body = JSON.stringify(rows[0]);
    if (redis) await redis.send(["SET", key, body, "EX", "300"]);
    return c.body(body, 200, { "content-type": "application/json", "x-cache": "postgres" });
  });
}
