import { beforeAll, describe, expect, it } from "vitest";
import { createSql } from "../../src/db/client";
import { dbErrorToProblem, findPgError } from "../../src/db/errors";
import { sql, testEnv } from "./helpers";

async function failure(query: string, params: unknown[] = []): Promise<unknown> {
  try {
    await createSql(testEnv).query(query, params);
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${query} to fail`);
}

describe("Postgres errors → problems", () => {
  beforeAll(async () => {
    await sql("DROP TABLE IF EXISTS err_parent, err_child");
    await sql("CREATE TABLE err_parent (id int PRIMARY KEY, email text UNIQUE NOT NULL, score int CHECK (score BETWEEN 1 AND 5))");
    await sql("CREATE TABLE err_child (id int PRIMARY KEY, parent_id int REFERENCES err_parent(id))");
    await sql("INSERT INTO err_parent VALUES (1, 'a@example.com', 3)");
    await sql("INSERT INTO err_child VALUES (1, 1)");
  });

  it("finds the SQLSTATE through the driver error", async () => {
    expect(findPgError(await failure("SELECT nope FROM err_parent"))?.code).toBe("42703");
  });

  it("unique violation → 409 naming the column, not the value", async () => {
    const p = dbErrorToProblem(await failure("INSERT INTO err_parent VALUES (2, 'a@example.com', 3)"))!;
    expect(p.status).toBe(409);
    expect(p.errors).toEqual([{ path: "email", message: "must be unique" }]);
    expect(JSON.stringify({ d: p.detail, e: p.errors })).not.toContain("a@example.com");
  });

  it("missing referenced row → 422; deleting a referenced row → 409", async () => {
    expect(dbErrorToProblem(await failure("INSERT INTO err_child VALUES (2, 99)"))!.status).toBe(422);
    expect(dbErrorToProblem(await failure("DELETE FROM err_parent WHERE id = 1"))!.status).toBe(409);
  });

  it("not-null and check violations → 400", async () => {
    const nn = dbErrorToProblem(await failure("INSERT INTO err_parent (id, email) VALUES (3, NULL)"))!;
    expect(nn.status).toBe(400);
    expect(nn.errors).toEqual([{ path: "email", message: "is required" }]);
    expect(dbErrorToProblem(await failure("INSERT INTO err_parent VALUES (4, 'b@example.com', 9)"))!.status).toBe(400);
    expect(dbErrorToProblem(await failure("SELECT $1::uuid", ["not-a-uuid"]))!.status).toBe(400);
  });

  it("a database that cannot be reached → 503", async () => {
    const env = { ...testEnv, NEON_SQL_ENDPOINT: "http://127.0.0.1:9/sql" };
    let err: unknown;
    try {
      await createSql(env).query("SELECT 1");
    } catch (e) {
      err = e;
    }
    const p = dbErrorToProblem(err)!;
    expect(p.status).toBe(503);
    expect(p.headers?.["Retry-After"]).toBeDefined();
    // restore the global endpoint for the other tests
    await createSql(testEnv).query("SELECT 1");
  });

  it("leaves programming errors (syntax) to the generic 500", async () => {
    expect(dbErrorToProblem(await failure("SELEC 1"))).toBeNull();
  });
});
