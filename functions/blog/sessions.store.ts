/**
 * Postgres side of blog sessions. Every change is one statement: status moves are conditional UPDATEs
 * (`WHERE status = …`), and agent_log entries are appended in SQL (jsonb ||), never read-modify-write.
 * Diagnosing why an UPDATE matched nothing costs a second query, on the failure path only.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { claimWithLease } from "../../src/db/leases";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import type { BlogDb } from "./db";
import type { AgentLogEntry } from "./responses";
import { blogSessions, cachedDresses, type BlogSession, type NewBlogSession } from "./schema";

export type SessionFields = Pick<NewBlogSession, "storeUrl" | "brandVoice" | "selectedDressIds" | "additionalInstructions">;

/** The log entry of a run that ended before or between the agents (no model, no tokens): the reason it failed. */
export const pipelineFailure = (outcome: AgentLogEntry["outcome"], error: string): AgentLogEntry => ({
  agent: "pipeline",
  model: null,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  durationMs: 0,
  outcome,
  error,
  finishedAt: new Date().toISOString(),
});

export const appendLog = (entry: AgentLogEntry): SQL =>
  sql`(coalesce(${blogSessions.agentLog}, '[]')::jsonb || ${JSON.stringify([entry])}::jsonb)::text`;

/** True when every one of `ids` is a cached dress (one subquery, evaluated inside the UPDATE). */
const allDressesExist = (ids: string[]): SQL =>
  sql`(SELECT count(*) FROM ${cachedDresses} WHERE ${inArray(cachedDresses.externalId, ids)}) = ${ids.length}`;

export async function createSession(db: BlogDb, fields: SessionFields, dressIds: string[] | null): Promise<BlogSession> {
  if (dressIds?.length) {
    // INSERT … SELECT … WHERE: the row is created only if every selected dress exists.
    const rows = await db
      .insert(blogSessions)
      .select(db.select(selectRow(blogSessions, fields)).from(sql`(SELECT 1) AS one`).where(allDressesExist(dressIds)))
      .returning();
    if (!rows[0]) throw await missingDresses(db, dressIds);
    return rows[0];
  }
  const [row] = await db.insert(blogSessions).values(fields).returning();
  return row!;
}

export async function getSession(db: BlogDb, id: string): Promise<BlogSession | null> {
  const [row] = await db.select().from(blogSessions).where(eq(blogSessions.id, id)).limit(1);
  return row ?? null;
}

export async function patchDraft(db: BlogDb, id: string, fields: SessionFields, dressIds: string[] | null): Promise<BlogSession> {
  const [row] = await db
    .update(blogSessions)
    .set(fields)
    .where(and(eq(blogSessions.id, id), eq(blogSessions.status, "draft"), dressIds?.length ? allDressesExist(dressIds) : undefined))
    .returning();
  if (row) return row;
  const current = await getSession(db, id);
  if (!current) throw notFound("No blog session has this id.");
  if (current.status !== "draft") throw conflict(`The session is ${current.status}; only a draft can be changed.`);
  throw await missingDresses(db, dressIds ?? []);
}

async function missingDresses(db: BlogDb, ids: string[]): Promise<HttpProblem> {
  const found = new Set(
    (await db.select({ id: cachedDresses.externalId }).from(cachedDresses).where(inArray(cachedDresses.externalId, ids))).map((r) => r.id),
  );
  return new HttpProblem({
    status: 422,
    type: problemTypes.invalidReference,
    detail: "Some selected dresses are not known: list or open them through /v1/blog/dresses first.",
    errors: ids.flatMap((d, i) =>
      found.has(d) ? [] : [{ path: `body.selectedDressIds.${i}`, message: `no dress has the external id ${JSON.stringify(d)}` }],
    ),
  });
}

/** draft → generating, only with dresses selected (and `guard`, when given): the UPDATE, unexecuted, for a batch. */
export function startGeneratingQuery(db: BlogDb, id: string, guard?: SQL) {
  return db
    .update(blogSessions)
    .set({ status: "generating", agentLog: "[]", generatedBlog: null, seoMetadata: null })
    .where(
      and(
        eq(blogSessions.id, id),
        eq(blogSessions.status, "draft"),
        sql`coalesce(${blogSessions.selectedDressIds}, '[]')::jsonb <> '[]'::jsonb`,
        guard,
      ),
    )
    .returning();
}

/** failed → generating for a retry (and `guard`), clearing the failed run's log, output and lease: the UPDATE, unexecuted, for a batch. */
export function retryGeneratingQuery(db: BlogDb, id: string, guard?: SQL) {
  return db
    .update(blogSessions)
    .set({ status: "generating", agentLog: "[]", generatedBlog: null, seoMetadata: null, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(blogSessions.id, id), eq(blogSessions.status, "failed"), guard))
    .returning();
}

/** Why retryGeneratingQuery matched nothing (failure path: one more read). */
export async function notRetriedProblem(db: BlogDb, id: string): Promise<HttpProblem> {
  const current = await getSession(db, id);
  if (!current) return notFound("No blog session has this id.");
  return conflict(`The session is ${current.status}; only a failed session can be retried.`);
}

/** Why startGeneratingQuery matched nothing (failure path: one more read). */
export async function notStartedProblem(db: BlogDb, id: string): Promise<HttpProblem> {
  const current = await getSession(db, id);
  if (!current) return notFound("No blog session has this id.");
  if (current.status !== "draft") return conflict(`The session is ${current.status}; only a draft can be generated.`);
  return conflict("Select at least one dress (selectedDressIds) before generating.");
}

/**
 * The generation job's lease on a session (src/db/leases.ts): every write of a pipeline run is fenced by its
 * token, so a redelivered job — or a run whose session was failed and retried meanwhile — cannot write beside
 * the run that holds the lease. Each pass pushes the expiry on; completing or failing releases it.
 */
export interface GenerationLease {
  token: string;
  ttlMs: number;
}

/** Claims a generating session for one pipeline run; null when it is not generating or another run holds it. */
export async function claimGeneration(db: BlogDb, id: string, ttlMs: number): Promise<GenerationLease | null> {
  const { token, rows } = await claimWithLease(db, {
    table: blogSessions,
    where: and(eq(blogSessions.id, id), eq(blogSessions.status, "generating")),
    limit: 1,
    ttlMs,
    owner: "blog.generate",
  });
  return rows.length ? { token, ttlMs } : null;
}

const held = (id: string, lease: GenerationLease) =>
  and(eq(blogSessions.id, id), eq(blogSessions.status, "generating"), eq(blogSessions.leaseOwner, lease.token));
const released = { leaseOwner: null, leaseExpiresAt: null };

/** Appends one agent's pass and extends the lease; false when the run no longer holds the session (failed by the sweep, retried, taken over). */
export async function logPass(db: BlogDb, id: string, lease: GenerationLease, entry: AgentLogEntry): Promise<boolean> {
  const rows = await db
    .update(blogSessions)
    .set({ agentLog: appendLog(entry), leaseExpiresAt: sql`now() + ${lease.ttlMs}::double precision * interval '1 millisecond'` })
    .where(held(id, lease))
    .returning({ id: blogSessions.id });
  return rows.length > 0;
}

/** generating → completed with the post, its SEO metadata and the last pass, releasing the lease, in one statement. */
export async function completeSession(
  db: BlogDb,
  id: string,
  lease: GenerationLease,
  entry: AgentLogEntry,
  blog: string,
  seo: unknown,
): Promise<boolean> {
  const rows = await db
    .update(blogSessions)
    .set({ status: "completed", generatedBlog: blog, seoMetadata: JSON.stringify(seo), agentLog: appendLog(entry), ...released })
    .where(held(id, lease))
    .returning({ id: blogSessions.id });
  return rows.length > 0;
}

/** generating → failed with the reason as the last log entry, releasing the lease, in one statement. */
export async function failSession(db: BlogDb, id: string, lease: GenerationLease, entry: AgentLogEntry): Promise<boolean> {
  const rows = await db
    .update(blogSessions)
    .set({ status: "failed", agentLog: appendLog(entry), ...released })
    .where(held(id, lease))
    .returning({ id: blogSessions.id });
  return rows.length > 0;
}
