/**
 * AI chatbot with agents (seed 002): users, conversations, messages, artifacts, agent definitions, agent
 * instances, agent tools, workflows, subscriptions. Postgres schema `chat`. Columns, types, defaults and
 * foreign keys are the seed's Drizzle code as written: uuid keys with `defaultRandom()`, timestamps without
 * time zone, and foreign keys without ON DELETE (NO ACTION) because the seed asks for none.
 *
 * Choices where the seed left room:
 * - `role`, `type`, `status`, `plan` stay `text` as in the seed; their vocabularies (given in the seed's
 *   comments) are enforced in validation.ts.
 * - The diagram's arrows "Messages → Workflows" and "AgentTools → AgentDefinitions" have no column behind
 *   them; the only tool link is `agent_definitions.tools`, a JSON array of tool ids (not enforced).
 * - The seed names no indexes ("strategic indexing"); those marked `+0001` are ours and arrive in
 *   migration 0001, each with its reason. The unique indexes marked `+0004` are the chat module's
 *   (Stripe webhooks upsert on them). Stripe's other subscription statuses join the vocabulary in
 *   validation.ts, like every text vocabulary of this seed.
 */
import { sql } from "drizzle-orm";
import { index, boolean, integer, jsonb, pgSchema, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "../../src/db/columns";

export const chat = pgSchema("chat");

export const messageRoles = ["user", "assistant", "system"] as const;
export type MessageRole = (typeof messageRoles)[number];
export const artifactTypes = ["code", "text", "sheet", "image"] as const;
export type ArtifactType = (typeof artifactTypes)[number];
export const agentInstanceStatuses = ["active", "paused", "archived"] as const;
export type AgentInstanceStatus = (typeof agentInstanceStatuses)[number];
export const workflowStatuses = ["pending", "running", "completed", "failed"] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];
export const subscriptionPlans = ["free", "pro", "enterprise"] as const;
export type SubscriptionPlan = (typeof subscriptionPlans)[number];
/** The seed's three, plus the rest of Stripe's subscription statuses, so every webhook can be stored as sent. */
export const subscriptionStatuses = [
  "active",
  "canceled",
  "past_due",
  "trialing",
  "incomplete",
  "incomplete_expired",
  "unpaid",
  "paused",
] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

type Json = Record<string, unknown>;

export const users = chat.table("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name"),
  avatarUrl: text("avatar_url"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const conversations = chat.table(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    title: text("title").notNull(),
    systemPrompt: text("system_prompt"),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("conversations_user_id_updated_at_idx").on(t.userId, t.updatedAt), // +0001: a user's conversation list, most recently active first (a backward scan)
  ],
);

export const messages = chat.table(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .references(() => conversations.id)
      .notNull(),
    role: text("role").notNull().$type<MessageRole>(),
    content: text("content").notNull(),
    parts: jsonb("parts").$type<unknown[]>(),
    attachments: jsonb("attachments").$type<unknown[]>(),
    reasoning: text("reasoning"),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_conversation_id_created_at_idx").on(t.conversationId, t.createdAt), // +0001: the seed's conversation-with-messages query reads them by conversation in created_at order
  ],
);

export const artifacts = chat.table(
  "artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    messageId: uuid("message_id").references(() => messages.id),
    type: text("type").notNull().$type<ArtifactType>(),
    title: text("title").notNull(),
    content: text("content"),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("artifacts_user_id_idx").on(t.userId), // +0001: artifacts are listed per user
    index("artifacts_message_id_idx").on(t.messageId), // +0001: a message's artifacts, and the FK check when a message is deleted
  ],
);

export const agentDefinitions = chat.table(
  "agent_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    systemPrompt: text("system_prompt").notNull(),
    isPublic: boolean("is_public").default(false).notNull(),
    /** ids of agent_tools this agent may use (not enforced by a foreign key) */
    tools: jsonb("tools").$type<string[]>(),
    capabilities: jsonb("capabilities").$type<Json>(),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("agent_definitions_user_id_idx").on(t.userId), // +0001: a user's own agent definitions
    index("agent_definitions_public_created_at_idx").on(t.createdAt).where(sql`is_public`), // +0001: the public catalogue reads only public definitions
  ],
);

export const agentInstances = chat.table(
  "agent_instances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    definitionId: uuid("definition_id")
      .references(() => agentDefinitions.id)
      .notNull(),
    name: text("name").notNull(),
    configuration: jsonb("configuration").$type<Json>(),
    status: text("status").notNull().$type<AgentInstanceStatus>().default("active"),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("agent_instances_user_id_idx").on(t.userId), // +0001: a user's agent instances
    index("agent_instances_definition_id_idx").on(t.definitionId), // +0001: instances of a definition, and the FK check when a definition is deleted
  ],
);

export const agentTools = chat.table("agent_tools", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull(),
  /** JSON Schema of the tool's parameters */
  schema: jsonb("schema").$type<Json>().notNull(),
  isSystem: boolean("is_system").default(false).notNull(),
  metadata: jsonb("metadata").$type<Json>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const workflows = chat.table(
  "workflows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    agentInstanceId: uuid("agent_instance_id").references(() => agentInstances.id),
    /** Upstash Workflow run id */
    workflowId: text("workflow_id").notNull(),
    status: text("status").notNull().$type<WorkflowStatus>(),
    goal: text("goal").notNull(),
    steps: jsonb("steps").$type<Json[]>(),
    result: jsonb("result").$type<Json>(),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("workflows_user_id_idx").on(t.userId), // +0001: a user's workflows
    index("workflows_agent_instance_id_idx").on(t.agentInstanceId), // +0001: an instance's workflows, and the FK check when an instance is deleted
    index("workflows_workflow_id_idx").on(t.workflowId), // +0001: Upstash Workflow callbacks find their row by workflow_id
    index("workflows_unfinished_updated_at_idx").on(t.updatedAt).where(sql`status IN ('pending', 'running')`), // +0001: the stale-workflow sweep reads only unfinished rows
  ],
);

export const subscriptions = chat.table(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .references(() => users.id)
      .notNull(),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    stripePriceId: text("stripe_price_id"),
    stripeCurrentPeriodEnd: ts("stripe_current_period_end"),
    plan: text("plan").notNull().$type<SubscriptionPlan>(),
    status: text("status").notNull().$type<SubscriptionStatus>(),
    isActive: boolean("is_active").default(false).notNull(),
    agentLimit: integer("agent_limit").notNull(),
    // +0008: when Stripe created the event this row reflects. Stripe does not deliver events in order, so an event
    // older than the one already applied changes nothing (a late `updated: active` cannot undo a `deleted`).
    stripeEventAt: ts("stripe_event_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_user_id_idx").on(t.userId), // +0001: the plan check reads a user's subscription on agent creation
    index("subscriptions_stripe_subscription_id_idx").on(t.stripeSubscriptionId), // +0001: Stripe webhooks find the row by subscription id
    uniqueIndex("subscriptions_user_id_unique_idx").on(t.userId), // +0004: one subscription per user: Stripe webhooks upsert on it (ON CONFLICT (user_id))
    uniqueIndex("subscriptions_stripe_subscription_id_unique_idx").on(t.stripeSubscriptionId), // +0004: one row per Stripe subscription, so two users never hold the same one
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type Artifact = typeof artifacts.$inferSelect;
export type NewArtifact = typeof artifacts.$inferInsert;
export type AgentDefinition = typeof agentDefinitions.$inferSelect;
export type NewAgentDefinition = typeof agentDefinitions.$inferInsert;
export type AgentInstance = typeof agentInstances.$inferSelect;
export type NewAgentInstance = typeof agentInstances.$inferInsert;
export type AgentTool = typeof agentTools.$inferSelect;
export type NewAgentTool = typeof agentTools.$inferInsert;
export type Workflow = typeof workflows.$inferSelect;
export type NewWorkflow = typeof workflows.$inferInsert;
export type Subscription = typeof subscriptions.$inferSelect;
export type NewSubscription = typeof subscriptions.$inferInsert;
