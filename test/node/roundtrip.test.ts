/**
 * Round trips through the Worker's own driver: drizzle-orm/neon-http → @neondatabase/serverless → the local
 * Neon SQL-over-HTTP stand-in → the migrated Postgres. One drizzle instance per module, built from that
 * module's db-schema as a handler would. Covers every column type in use (uuid and text-uuid defaults,
 * serial ids, varchar/text, boolean, integer, numeric, jsonb arrays, objects and strings, timestamps
 * without time zone, Postgres enums, composite keys) and the seeds' relational queries through db.query.
 */
import { neon, neonConfig } from "@neondatabase/serverless";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as blog from "../../functions/blog/db-schema";
import * as chat from "../../functions/chat/db-schema";
import * as influencer from "../../functions/influencer/db-schema";
import * as marketing from "../../functions/marketing/db-schema";
import * as scheduler from "../../functions/scheduler/db-schema";
import { createDatabase } from "../local/databases.js";
import { migrateDatabase } from "../local/migrate.js";
import { startNeonHttp, type NeonHttpHandle } from "../local/neon-http.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A timestamp with milliseconds: the column keeps microseconds, so nothing may be lost on the way. */
const T1 = new Date("2025-03-04T05:06:07.089Z");
const T2 = new Date("2025-03-04T05:06:08.001Z");
const T3 = new Date("2025-12-31T23:59:59.999Z");

let handle: NeonHttpHandle;
let client: ReturnType<typeof neon>;
const db = {
  marketing: () => drizzle({ client, schema: marketing }),
  blog: () => drizzle({ client, schema: blog }),
  chat: () => drizzle({ client, schema: chat }),
  scheduler: () => drizzle({ client, schema: scheduler }),
  influencer: () => drizzle({ client, schema: influencer }),
};

beforeAll(async () => {
  const url = await createDatabase(inject("pgAdminUrl"), "roundtrip", { recreate: true });
  await migrateDatabase(url, () => {});
  handle = await startNeonHttp({ backendUrl: url });
  neonConfig.fetchEndpoint = () => handle.url;
  client = neon(handle.connectionString);
});
afterAll(async () => {
  await handle?.close();
});

const nearNow = (d: unknown) => d instanceof Date && Math.abs(d.getTime() - Date.now()) < 60_000;

describe("marketing through neon-http", () => {
  it("round-trips uuid defaults, varchar, booleans, jsonb string arrays and timestamps", async () => {
    const m = db.marketing();
    const [user] = await m
      .insert(marketing.users)
      .values({ email: "rt@example.com", apiKey: "mk_rt", apiKeyHash: "a".repeat(128) })
      .returning();
    expect(user!.id).toMatch(UUID_V4);
    expect(nearNow(user!.createdAt)).toBe(true);
    const keywords = ["write copy", "CTA", 'quote " and backslash \\', "ünïcödé ✓", ""];
    const [skill] = await m
      .insert(marketing.skills)
      .values({
        name: "rt-skill",
        description: "d",
        type: "complex",
        s3Key: "skills/rt/",
        triggerKeywords: keywords,
        hasRules: true,
      })
      .returning();
    expect(skill!.relatedSkills).toEqual([]);
    const [read] = await m.select().from(marketing.skills).where(eq(marketing.skills.id, skill!.id));
    expect(read!.triggerKeywords).toEqual(keywords);
    expect([read!.hasRules, read!.hasSubdirectories, read!.type]).toEqual([true, false, "complex"]);

    const [run] = await m
      .insert(marketing.runs)
      .values({
        userId: user!.id,
        skillId: skill!.id,
        userMessage: "go",
        queuedAt: T1,
        startedAt: T2,
        tokensInput: 2_147_483_647,
        metadata: '{"k":1}',
      })
      .returning();
    const [back] = await m.select().from(marketing.runs).where(eq(marketing.runs.id, run!.id));
    expect(back!.queuedAt).toBeInstanceOf(Date);
    expect([back!.queuedAt, back!.startedAt, back!.completedAt]).toEqual([T1, T2, null]);
    expect([back!.status, back!.tokensInput, back!.tokensOutput, back!.metadata]).toEqual(["queued", 2_147_483_647, null, '{"k":1}']);
    const [done] = await m
      .update(marketing.runs)
      .set({ status: "completed", completedAt: T3 })
      .where(eq(marketing.runs.id, run!.id))
      .returning();
    expect([done!.status, done!.completedAt]).toEqual(["completed", T3]);
  });

  it("answers the seed's recent-runs query with outputs and feedback (jsonb objects) through db.query", async () => {
    const m = db.marketing();
    const [user] = await m.insert(marketing.users).values({ apiKey: "mk_rt2", apiKeyHash: "b" }).returning();
    const [skill] = await m
      .insert(marketing.skills)
      .values({ name: "rt-skill-2", description: "d", type: "simple", s3Key: "s/", triggerKeywords: ["k"] })
      .returning();
    const [older] = await m
      .insert(marketing.runs)
      .values({ userId: user!.id, skillId: skill!.id, userMessage: "older", queuedAt: T1 })
      .returning();
    const [newer] = await m
      .insert(marketing.runs)
      .values({ userId: user!.id, skillId: skill!.id, userMessage: "newer", queuedAt: T2 })
      .returning();
    const [out] = await m
      .insert(marketing.outputs)
      .values({ runId: newer!.id, s3Key: "outputs/x.md", sizeBytes: 512, createdAt: T3 })
      .returning();
    const issues = [{ description: "tone", severity: "medium" as const, suggestedFix: "warmer" }];
    const changes = [{ file: ".claude/skills/rt/RULES.md", suggestedChange: "add", rationale: "why" }];
    await m.insert(marketing.feedback).values({ outputId: out!.id, overallScore: 5, issues, suggestedRuleChanges: changes, source: "api" });

    const runs = await m.query.runs.findMany({
      where: eq(marketing.runs.userId, user!.id),
      with: { outputs: { with: { feedback: true } } },
      orderBy: desc(marketing.runs.queuedAt),
      limit: 10,
    });
    expect(runs.map((r) => r.id)).toEqual([newer!.id, older!.id]);
    expect(runs[0]!.queuedAt).toEqual(T2);
    // Nested rows come back as JSON from Postgres: their timestamps must still become the same Dates.
    const nested = runs[0]!.outputs[0]!;
    expect([nested.createdAt, nested.sizeBytes, nested.format]).toEqual([T3, 512, "markdown"]);
    expect(nested.feedback[0]!.issues).toEqual(issues);
    expect(nested.feedback[0]!.suggestedRuleChanges).toEqual(changes);
    expect(runs[1]!.outputs).toEqual([]);
  });
});

describe("blog through neon-http", () => {
  it("round-trips serial ids, the text uuid default and NOT NULL timestamps", async () => {
    const b = db.blog();
    const a = await b.insert(blog.cachedDresses).values({ externalId: "rt-1", name: "A", expiresAt: T1 }).returning();
    const c = await b.insert(blog.cachedDresses).values({ externalId: "rt-2", name: "B", expiresAt: T2 }).returning();
    expect(typeof a[0]!.id).toBe("number");
    expect(c[0]!.id).toBe(a[0]!.id + 1);
    expect([a[0]!.expiresAt, nearNow(a[0]!.cachedAt)]).toEqual([T1, true]);
    const [s] = await b.insert(blog.blogSessions).values({ storeUrl: "https://rt.example", selectedDressIds: '["rt-1"]' }).returning();
    expect(s!.id).toMatch(UUID_V4);
    expect(s!.status).toBe("draft");
  });

  it("loads a session with its brand voice through the loose store_url link", async () => {
    const b = db.blog();
    await b.insert(blog.brandVoiceCache).values({ url: "https://rt.example", analysisResult: '{"tone":"playful"}', expiresAt: T3 });
    const found = await b.query.blogSessions.findFirst({
      where: eq(blog.blogSessions.storeUrl, "https://rt.example"),
      with: { brandVoice: true },
    });
    expect(found!.brandVoice!.analysisResult).toBe('{"tone":"playful"}');
    expect(found!.brandVoice!.expiresAt).toEqual(T3);
  });

  it("upserts settings on the unique key", async () => {
    const b = db.blog();
    await b.insert(blog.appSettings).values({ key: "openrouter_api_key", value: "" }).onConflictDoNothing();
    const [row] = await b
      .insert(blog.appSettings)
      .values({ key: "openrouter_api_key", value: "set" })
      .onConflictDoUpdate({ target: blog.appSettings.key, set: { value: sql`excluded.value` } })
      .returning();
    expect(row!.value).toBe("set");
    expect(await b.$count(blog.appSettings)).toBe(1);
  });
});

describe("chat through neon-http", () => {
  const metadata = {
    nested: { deep: [1, 2.5, -3e-7, { x: null }] },
    flag: false,
    empty: {},
    list: [],
    text: 'line\nbreak, "quoted", tab\t ✓',
    big: 9007199254740991,
  };

  it("round-trips jsonb objects and arrays exactly, and the boolean default", async () => {
    const c = db.chat();
    const [u] = await c.insert(chat.users).values({ email: "rt-chat@example.com" }).returning();
    const [conv] = await c.insert(chat.conversations).values({ userId: u!.id, title: "json", metadata }).returning();
    const [back] = await c.select().from(chat.conversations).where(eq(chat.conversations.id, conv!.id));
    expect(back!.metadata).toEqual(metadata);
    const schemaObj = { type: "object", properties: { q: { type: "string" } }, required: ["q"] };
    const [tool] = await c.insert(chat.agentTools).values({ name: "rt_tool", description: "d", schema: schemaObj }).returning();
    expect([tool!.schema, tool!.isSystem, tool!.metadata]).toEqual([schemaObj, false, null]);
    const [wf] = await c
      .insert(chat.workflows)
      .values({
        userId: u!.id,
        workflowId: "wf-rt",
        status: "running",
        goal: "g",
        steps: [
          { step: 1, ok: true },
          { step: 2, ok: false },
        ],
      })
      .returning();
    expect(wf!.steps).toEqual([
      { step: 1, ok: true },
      { step: 2, ok: false },
    ]);
  });

  it("answers the seed's getConversationMessages with messages ordered by createdAt", async () => {
    const c = db.chat();
    const [u] = await c.insert(chat.users).values({ email: "rt-chat-2@example.com" }).returning();
    const [conv] = await c.insert(chat.conversations).values({ userId: u!.id, title: "order" }).returning();
    await c.insert(chat.messages).values([
      { conversationId: conv!.id, role: "assistant", content: "b", createdAt: T2, attachments: [{ name: "f.png", size: 3 }] },
      { conversationId: conv!.id, role: "user", content: "a", createdAt: T1, parts: [{ type: "text", text: "a" }] },
      { conversationId: conv!.id, role: "assistant", content: "c", createdAt: T3 },
    ]);
    const got = await c.query.conversations.findFirst({
      where: eq(chat.conversations.id, conv!.id),
      with: { messages: { orderBy: (m, { asc: up }) => [up(m.createdAt)] }, user: true },
    });
    expect(got!.messages.map((m) => [m.content, m.createdAt])).toEqual([
      ["a", T1],
      ["b", T2],
      ["c", T3],
    ]);
    expect(got!.messages[0]!.parts).toEqual([{ type: "text", text: "a" }]);
    expect(got!.messages[1]!.attachments).toEqual([{ name: "f.png", size: 3 }]);
    expect(got!.user.email).toBe("rt-chat-2@example.com");
  });
});

describe("scheduler through neon-http", () => {
  it("round-trips Postgres enums, client-made text ids, a jsonb string and a composite key", async () => {
    const s = db.scheduler();
    const [u] = await s.insert(scheduler.users).values({ email: "rt-s@example.com", emailVerified: T1 }).returning();
    expect(u!.id).toMatch(UUID_V4);
    expect(u!.emailVerified).toEqual(T1);
    const [job] = await s
      .insert(scheduler.jobs)
      .values({ definitionNL: "every minute", userId: u!.id, status: "ACTIVE", nextRunAt: T2 })
      .returning();
    expect([job!.status, job!.nextRunAt, job!.locked, job!.totalTokens]).toEqual(["ACTIVE", T2, false, 0]);
    const [msg] = await s.insert(scheduler.messages).values({ jobId: job!.id, role: "tool", content: "plain string" }).returning();
    const [parts] = await s
      .insert(scheduler.messages)
      .values({ jobId: job!.id, role: "assistant", content: [{ type: "text", text: "x" }] })
      .returning();
    const [readMsg] = await s.select().from(scheduler.messages).where(eq(scheduler.messages.id, msg!.id));
    expect([readMsg!.role, readMsg!.content]).toEqual(["tool", "plain string"]);
    expect(parts!.content).toEqual([{ type: "text", text: "x" }]);
    const [ep] = await s
      .insert(scheduler.endpoints)
      .values({ jobId: job!.id, name: "hook", url: "https://x.example", headers: { "x-key": "v" } })
      .returning();
    expect([ep!.method, ep!.timeoutMs, ep!.fireAndForget, ep!.headers]).toEqual(["GET", 5000, false, { "x-key": "v" }]);
    const [t] = await s
      .insert(scheduler.tasks)
      .values({ jobId: job!.id, name: "t", status: "SUCCEEDED", result: { ok: 1 }, startedAt: T1, completedAt: T2 })
      .returning();
    expect([t!.status, t!.result, t!.startedAt, t!.completedAt]).toEqual(["SUCCEEDED", { ok: 1 }, T1, T2]);
    await s
      .insert(scheduler.accounts)
      .values({ userId: u!.id, type: "oauth", provider: "github", providerAccountId: "rt-1", expires_at: 1_900_000_000 });
    const [acc] = await s
      .select()
      .from(scheduler.accounts)
      .where(and(eq(scheduler.accounts.provider, "github"), eq(scheduler.accounts.providerAccountId, "rt-1")));
    expect(acc!.expires_at).toBe(1_900_000_000);
  });

  it("claims due jobs with one UPDATE … FOR UPDATE SKIP LOCKED statement and reads them back with db.query", async () => {
    const s = db.scheduler();
    const [u] = await s.insert(scheduler.users).values({ email: "rt-claim@example.com" }).returning();
    const due = await s
      .insert(scheduler.jobs)
      .values([
        { definitionNL: "due 1", userId: u!.id, status: "ACTIVE", nextRunAt: new Date("2000-01-01T00:00:00Z") },
        { definitionNL: "due 2", userId: u!.id, status: "ACTIVE", nextRunAt: new Date("2000-01-01T00:00:01Z") },
        { definitionNL: "paused", userId: u!.id, status: "PAUSED", nextRunAt: new Date("2000-01-01T00:00:00Z") },
      ])
      .returning();
    const lease = new Date(Date.now() + 60_000);
    const claimed = await s
      .update(scheduler.jobs)
      .set({ locked: true, lockExpiresAt: lease })
      .where(sql`${scheduler.jobs.id} IN (SELECT id FROM ${scheduler.jobs} WHERE status = 'ACTIVE' AND "userId" = ${u!.id}
        AND "nextRunAt" <= now() AND (NOT locked OR "lockExpiresAt" < now()) ORDER BY "nextRunAt" FOR UPDATE SKIP LOCKED LIMIT 10)`)
      .returning({ id: scheduler.jobs.id, lockExpiresAt: scheduler.jobs.lockExpiresAt });
    expect(claimed.map((c) => c.id).sort()).toEqual([due[0]!.id, due[1]!.id].sort());
    expect(claimed[0]!.lockExpiresAt).toEqual(lease);
    const mine = await s.query.users.findFirst({
      where: eq(scheduler.users.id, u!.id),
      with: { jobs: { orderBy: (j) => [asc(j.definitionNL)], columns: { definitionNL: true, locked: true } } },
    });
    expect(mine!.jobs).toEqual([
      { definitionNL: "due 1", locked: true },
      { definitionNL: "due 2", locked: true },
      { definitionNL: "paused", locked: false },
    ]);
  });
});

describe("influencer through neon-http", () => {
  it("round-trips numeric as a JS number", async () => {
    const i = db.influencer();
    const [job] = await i
      .insert(influencer.scrapingJobs)
      .values({ userId: "user_2rt", keywords: ["a", "b"], progress: 42.5 })
      .returning();
    const [back] = await i.select().from(influencer.scrapingJobs).where(eq(influencer.scrapingJobs.id, job!.id));
    expect([back!.progress, back!.keywords]).toEqual([42.5, ["a", "b"]]);
    const [zero] = await i.insert(influencer.scrapingJobs).values({ userId: "user_2rt" }).returning();
    expect(zero!.progress).toBe(0);
  });
});
