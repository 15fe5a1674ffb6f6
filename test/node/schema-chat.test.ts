/**
 * The chat module as migrated, compared with expectations written by hand from seed 002's Drizzle code
 * (not derived from functions/chat/schema.ts), plus the seed's relational query, the system tools and
 * the validation vocabularies.
 */
import { eq } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { seedChat } from "../../functions/chat/seed";
import * as schema from "../../functions/chat/db-schema";
import {
  insertAgentDefinitionSchema,
  insertArtifactSchema,
  insertMessageSchema,
  insertSubscriptionSchema,
  insertWorkflowSchema,
  listMessagesQuerySchema,
  patchAgentInstanceSchema,
  selectAgentToolSchema,
} from "../../functions/chat/validation";
import { describeCatalog, type Catalog, type ColumnRow, pgError, useMigratedSchema } from "./schema-catalog.js";

const { users, conversations, messages, artifacts, agentDefinitions, agentInstances, agentTools, workflows, subscriptions } = schema;

const TABLES = [
  "agent_definitions",
  "agent_instances",
  "agent_tools",
  "artifacts",
  "conversations",
  "messages",
  "subscriptions",
  "users",
  "workflows",
];
const TS = "timestamp without time zone";
const NOW = "now()";
const UUID = "gen_random_uuid()";

const COLUMNS: ColumnRow[] = [
  ["users", "id", "uuid", "not null", UUID],
  ["users", "email", "text", "not null", null],
  ["users", "name", "text", "null", null],
  ["users", "avatar_url", "text", "null", null],
  ["users", "created_at", TS, "not null", NOW],
  ["users", "updated_at", TS, "not null", NOW],

  ["conversations", "id", "uuid", "not null", UUID],
  ["conversations", "user_id", "uuid", "not null", null],
  ["conversations", "title", "text", "not null", null],
  ["conversations", "system_prompt", "text", "null", null],
  ["conversations", "metadata", "jsonb", "null", null],
  ["conversations", "created_at", TS, "not null", NOW],
  ["conversations", "updated_at", TS, "not null", NOW],

  ["messages", "id", "uuid", "not null", UUID],
  ["messages", "conversation_id", "uuid", "not null", null],
  ["messages", "role", "text", "not null", null],
  ["messages", "content", "text", "not null", null],
  ["messages", "parts", "jsonb", "null", null],
  ["messages", "attachments", "jsonb", "null", null],
  ["messages", "reasoning", "text", "null", null],
  ["messages", "created_at", TS, "not null", NOW],

  ["artifacts", "id", "uuid", "not null", UUID],
  ["artifacts", "user_id", "uuid", "not null", null],
  ["artifacts", "message_id", "uuid", "null", null],
  ["artifacts", "type", "text", "not null", null],
  ["artifacts", "title", "text", "not null", null],
  ["artifacts", "content", "text", "null", null],
  ["artifacts", "metadata", "jsonb", "null", null],
  ["artifacts", "created_at", TS, "not null", NOW],
  ["artifacts", "updated_at", TS, "not null", NOW],

  ["agent_definitions", "id", "uuid", "not null", UUID],
  ["agent_definitions", "user_id", "uuid", "not null", null],
  ["agent_definitions", "name", "text", "not null", null],
  ["agent_definitions", "description", "text", "not null", null],
  ["agent_definitions", "system_prompt", "text", "not null", null],
  ["agent_definitions", "is_public", "boolean", "not null", "false"],
  ["agent_definitions", "tools", "jsonb", "null", null],
  ["agent_definitions", "capabilities", "jsonb", "null", null],
  ["agent_definitions", "metadata", "jsonb", "null", null],
  ["agent_definitions", "created_at", TS, "not null", NOW],
  ["agent_definitions", "updated_at", TS, "not null", NOW],

  ["agent_instances", "id", "uuid", "not null", UUID],
  ["agent_instances", "user_id", "uuid", "not null", null],
  ["agent_instances", "definition_id", "uuid", "not null", null],
  ["agent_instances", "name", "text", "not null", null],
  ["agent_instances", "configuration", "jsonb", "null", null],
  ["agent_instances", "status", "text", "not null", "'active'::text"],
  ["agent_instances", "metadata", "jsonb", "null", null],
  ["agent_instances", "created_at", TS, "not null", NOW],
  ["agent_instances", "updated_at", TS, "not null", NOW],

  ["agent_tools", "id", "uuid", "not null", UUID],
  ["agent_tools", "name", "text", "not null", null],
  ["agent_tools", "description", "text", "not null", null],
  ["agent_tools", "schema", "jsonb", "not null", null],
  ["agent_tools", "is_system", "boolean", "not null", "false"],
  ["agent_tools", "metadata", "jsonb", "null", null],
  ["agent_tools", "created_at", TS, "not null", NOW],
  ["agent_tools", "updated_at", TS, "not null", NOW],

  ["workflows", "id", "uuid", "not null", UUID],
  ["workflows", "user_id", "uuid", "not null", null],
  ["workflows", "agent_instance_id", "uuid", "null", null],
  ["workflows", "workflow_id", "text", "not null", null],
  ["workflows", "status", "text", "not null", null],
  ["workflows", "goal", "text", "not null", null],
  ["workflows", "steps", "jsonb", "null", null],
  ["workflows", "result", "jsonb", "null", null],
  ["workflows", "metadata", "jsonb", "null", null],
  ["workflows", "created_at", TS, "not null", NOW],
  ["workflows", "updated_at", TS, "not null", NOW],

  ["subscriptions", "id", "uuid", "not null", UUID],
  ["subscriptions", "user_id", "uuid", "not null", null],
  ["subscriptions", "stripe_customer_id", "text", "null", null],
  ["subscriptions", "stripe_subscription_id", "text", "null", null],
  ["subscriptions", "stripe_price_id", "text", "null", null],
  ["subscriptions", "stripe_current_period_end", TS, "null", null],
  ["subscriptions", "plan", "text", "not null", null],
  ["subscriptions", "status", "text", "not null", null],
  ["subscriptions", "is_active", "boolean", "not null", "false"],
  ["subscriptions", "agent_limit", "integer", "not null", null],
  ["subscriptions", "stripe_event_at", TS, "null", null], // +0008: not in the seed; out-of-order Stripe events
  ["subscriptions", "created_at", TS, "not null", NOW],
  ["subscriptions", "updated_at", TS, "not null", NOW],
];

// The seed's `.references()` carry no onDelete: NO ACTION, printed as nothing after the reference.
const fk = (table: string, column: string, target: string, name: string): [string, "f", RegExp, string] => [
  table,
  "f",
  new RegExp(`^FOREIGN KEY \\(${column}\\) REFERENCES chat\\.${target}\\(id\\)$`),
  name,
];
const CONSTRAINTS: [string, Catalog["constraints"][number]["type"], string | RegExp, string][] = [
  ...TABLES.map((t): [string, "p", string, string] => [t, "p", "PRIMARY KEY (id)", `${t}_pkey`]),
  ["users", "u", "UNIQUE (email)", "users_email_unique"],
  ["agent_tools", "u", "UNIQUE (name)", "agent_tools_name_unique"],
  fk("conversations", "user_id", "users", "conversations_user_id_users_id_fk"),
  fk("messages", "conversation_id", "conversations", "messages_conversation_id_conversations_id_fk"),
  fk("artifacts", "user_id", "users", "artifacts_user_id_users_id_fk"),
  fk("artifacts", "message_id", "messages", "artifacts_message_id_messages_id_fk"),
  fk("agent_definitions", "user_id", "users", "agent_definitions_user_id_users_id_fk"),
  fk("agent_instances", "user_id", "users", "agent_instances_user_id_users_id_fk"),
  fk("agent_instances", "definition_id", "agent_definitions", "agent_instances_definition_id_agent_definitions_id_fk"),
  fk("workflows", "user_id", "users", "workflows_user_id_users_id_fk"),
  fk("workflows", "agent_instance_id", "agent_instances", "workflows_agent_instance_id_agent_instances_id_fk"),
  fk("subscriptions", "user_id", "users", "subscriptions_user_id_users_id_fk"),
];

// The seed names no index; these are ours, from migration 0001.
const EXTRA_INDEXES: [string, string, string][] = [
  ["conversations", "conversations_user_id_updated_at_idx", "USING btree (user_id, updated_at)"],
  ["messages", "messages_conversation_id_created_at_idx", "USING btree (conversation_id, created_at)"],
  ["artifacts", "artifacts_user_id_idx", "USING btree (user_id)"],
  ["artifacts", "artifacts_message_id_idx", "USING btree (message_id)"],
  ["agent_definitions", "agent_definitions_user_id_idx", "USING btree (user_id)"],
  ["agent_definitions", "agent_definitions_public_created_at_idx", "USING btree (created_at) WHERE is_public"],
  ["agent_instances", "agent_instances_user_id_idx", "USING btree (user_id)"],
  ["agent_instances", "agent_instances_definition_id_idx", "USING btree (definition_id)"],
  ["workflows", "workflows_user_id_idx", "USING btree (user_id)"],
  ["workflows", "workflows_agent_instance_id_idx", "USING btree (agent_instance_id)"],
  ["workflows", "workflows_workflow_id_idx", "USING btree (workflow_id)"],
  [
    "workflows",
    "workflows_unfinished_updated_at_idx",
    "USING btree (updated_at) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]))",
  ],
  ["subscriptions", "subscriptions_user_id_idx", "USING btree (user_id)"],
  ["subscriptions", "subscriptions_stripe_subscription_id_idx", "USING btree (stripe_subscription_id)"],
  // 0004 (chat module): what the Stripe webhook upserts on
  [
    "subscriptions",
    "subscriptions_user_id_unique_idx",
    "CREATE UNIQUE INDEX subscriptions_user_id_unique_idx ON chat.subscriptions USING btree (user_id)",
  ],
  [
    "subscriptions",
    "subscriptions_stripe_subscription_id_unique_idx",
    "CREATE UNIQUE INDEX subscriptions_stripe_subscription_id_unique_idx ON chat.subscriptions USING btree (stripe_subscription_id)",
  ],
];

let cat: Catalog;
let db: NodePgDatabase<typeof schema>;
useMigratedSchema("schema_chat", "chat", schema, (fx) => {
  ({ cat, db } = fx);
});

describeCatalog("chat", () => cat, {
  tables: TABLES,
  columns: COLUMNS,
  constraints: CONSTRAINTS,
  indexes: EXTRA_INDEXES,
  uniqueIndexes: ["subscriptions_stripe_subscription_id_unique_idx", "subscriptions_user_id_unique_idx"],
});

describe("chat relations", () => {
  let userId: string;
  let conversationId: string;

  beforeAll(async () => {
    const [u] = await db.insert(users).values({ email: "lee@example.com", name: "Lee" }).returning();
    userId = u!.id;
    const [c] = await db
      .insert(conversations)
      .values({ userId, title: "Trip", metadata: { pinned: true } })
      .returning();
    conversationId = c!.id;
    // Inserted out of order on purpose: the query must order them.
    await db.insert(messages).values([
      { conversationId, role: "assistant", content: "second", createdAt: new Date("2025-05-01T10:00:02Z") },
      {
        conversationId,
        role: "user",
        content: "first",
        createdAt: new Date("2025-05-01T10:00:01Z"),
        parts: [{ type: "text", text: "first" }],
      },
      { conversationId, role: "assistant", content: "third", createdAt: new Date("2025-05-01T10:00:03Z") },
    ]);
  });

  it("answers the seed's getConversationMessages: a conversation with its messages by createdAt", async () => {
    const got = await db.query.conversations.findFirst({
      where: eq(conversations.id, conversationId),
      with: { messages: { orderBy: (m, { asc }) => [asc(m.createdAt)] } },
    });
    expect(got!.title).toBe("Trip");
    expect(got!.metadata).toEqual({ pinned: true });
    expect(got!.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "first"],
      ["assistant", "second"],
      ["assistant", "third"],
    ]);
    expect(got!.messages[0]!.parts).toEqual([{ type: "text", text: "first" }]);
    expect(got!.messages[0]!.createdAt).toEqual(new Date("2025-05-01T10:00:01Z"));
  });

  it("follows user → definitions → instances → workflows, and an artifact to its message", async () => {
    const toolId = "0b7e4c1a-2f7d-4c55-9a0e-5d8c3b1f6a21";
    const [def] = await db
      .insert(agentDefinitions)
      .values({
        userId,
        name: "Planner",
        description: "Plans trips",
        systemPrompt: "You plan.",
        tools: [toolId],
      })
      .returning();
    const [inst] = await db.insert(agentInstances).values({ userId, definitionId: def!.id, name: "My planner" }).returning();
    expect(inst!.status).toBe("active");
    await db
      .insert(workflows)
      .values({ userId, agentInstanceId: inst!.id, workflowId: "wf_1", status: "pending", goal: "Plan Rome", steps: [{ n: 1 }] });
    const [msg] = await db.select().from(messages).where(eq(messages.content, "first"));
    await db.insert(artifacts).values({ userId, messageId: msg!.id, type: "text", title: "Itinerary" });

    const user = await db.query.users.findFirst({
      where: eq(users.id, userId),
      with: { agentDefinitions: { with: { instances: { with: { workflows: true } } } }, artifacts: { with: { message: true } } },
    });
    expect(user!.agentDefinitions[0]!.tools).toEqual([toolId]);
    expect(user!.agentDefinitions[0]!.instances[0]!.workflows.map((w) => [w.workflowId, w.steps])).toEqual([["wf_1", [{ n: 1 }]]]);
    expect(user!.artifacts[0]!.message?.content).toBe("first");
  });

  it("refuses to delete a conversation that still has messages (NO ACTION → 23503)", async () => {
    expect(await pgError(db.delete(conversations).where(eq(conversations.id, conversationId)))).toEqual({
      code: "23503",
      constraint: "messages_conversation_id_conversations_id_fk",
    });
  });

  it("keeps subscriptions' defaults: is_active false", async () => {
    const [s] = await db.insert(subscriptions).values({ userId, plan: "free", status: "active", agentLimit: 1 }).returning();
    expect(s!.isActive).toBe(false);
    expect(s!.stripeCurrentPeriodEnd).toBeNull();
  });
});

describe("seedChat", () => {
  it("writes six system tools whose schema is a JSON Schema object; a second run changes nothing", async () => {
    const lines: string[] = [];
    await seedChat(db, (l) => lines.push(l));
    await seedChat(db, (l) => lines.push(l));
    expect(lines).toEqual([
      "chat.agent_tools (system): 6 inserted, 0 updated, 0 unchanged",
      "chat.agent_tools (system): 0 inserted, 0 updated, 6 unchanged",
    ]);
    const tools = await db.select().from(agentTools).orderBy(agentTools.name);
    expect(tools.map((t) => t.name)).toEqual([
      "calculator",
      "create_document",
      "fetch_webpage",
      "get_current_time",
      "update_document",
      "web_search",
    ]);
    for (const t of tools) {
      expect(t.isSystem).toBe(true);
      expect(t.schema).toMatchObject({ type: "object", additionalProperties: false });
      expect(selectAgentToolSchema.safeParse(t).success).toBe(true);
    }
  });

  it("writes a changed tool back and touches only that row", async () => {
    await db.update(agentTools).set({ description: "stale" }).where(eq(agentTools.name, "calculator"));
    const lines: string[] = [];
    await seedChat(db, (l) => lines.push(l));
    expect(lines).toEqual(["chat.agent_tools (system): 0 inserted, 1 updated, 5 unchanged"]);
    const [calc] = await db.select().from(agentTools).where(eq(agentTools.name, "calculator"));
    expect(calc!.description).toMatch(/^Evaluate an arithmetic expression/);
  });
});

describe("chat validation", () => {
  const id = "8c3f1d9e-6c1a-4f61-9a63-3f1b6f7a1e55";
  it("knows the vocabularies of the seed's comments", () => {
    for (const role of ["user", "assistant", "system"])
      expect(insertMessageSchema.safeParse({ conversationId: id, role, content: "c" }).success).toBe(true);
    expect(insertMessageSchema.safeParse({ conversationId: id, role: "tool", content: "c" }).success).toBe(false);
    for (const type of ["code", "text", "sheet", "image"])
      expect(insertArtifactSchema.safeParse({ userId: id, type, title: "t" }).success).toBe(true);
    expect(insertArtifactSchema.safeParse({ userId: id, type: "video", title: "t" }).success).toBe(false);
    for (const status of ["active", "paused", "archived"]) expect(patchAgentInstanceSchema.safeParse({ status }).success).toBe(true);
    expect(patchAgentInstanceSchema.safeParse({ status: "deleted" }).success).toBe(false);
    const wf = { userId: id, workflowId: "w", goal: "g" };
    for (const status of ["pending", "running", "completed", "failed"])
      expect(insertWorkflowSchema.safeParse({ ...wf, status }).success).toBe(true);
    expect(insertWorkflowSchema.safeParse({ ...wf, status: "queued" }).success).toBe(false);
    const sub = { userId: id, agentLimit: 3 };
    expect(insertSubscriptionSchema.safeParse({ ...sub, plan: "pro", status: "past_due" }).success).toBe(true);
    expect(insertSubscriptionSchema.safeParse({ ...sub, plan: "gold", status: "active" }).success).toBe(false);
    expect(insertSubscriptionSchema.safeParse({ ...sub, plan: "pro", status: "cancelled" }).success).toBe(false);
    expect(insertSubscriptionSchema.safeParse({ ...sub, plan: "pro", status: "active", agentLimit: -1 }).success).toBe(false);
  });

  it("takes tool ids as uuids and caps pageSize at 100 (messages oldest first by default)", () => {
    const def = { userId: id, name: "n", description: "d", systemPrompt: "s" };
    expect(insertAgentDefinitionSchema.safeParse({ ...def, tools: [id] }).success).toBe(true);
    expect(insertAgentDefinitionSchema.safeParse({ ...def, tools: ["web_search"] }).success).toBe(false);
    expect(listMessagesQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20, sortBy: "createdAt", sortDirection: "asc" });
    expect(listMessagesQuerySchema.safeParse({ pageSize: 101 }).success).toBe(false);
  });
});
