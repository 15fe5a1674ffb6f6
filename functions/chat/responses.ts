/** What the chat API answers: response schemas (named for the OpenAPI document) and the row → JSON mappers. */
import { z } from "@hono/zod-openapi";
import { publicEmail } from "./auth";
import type { AgentDefinition, AgentInstance, AgentTool, Artifact, Conversation, Message, User, Workflow } from "./schema";
import {
  agentInstanceStatusSchema,
  artifactTypeSchema,
  messageRoleSchema,
  subscriptionPlanSchema,
  subscriptionStatusSchema,
  workflowStatusSchema,
} from "./validation";

const iso = z.iso.datetime().openapi({ example: "2026-04-26T10:00:00.000Z" });
const at = (d: Date) => d.toISOString();
const json = z.record(z.string(), z.unknown());

export const PlanSchema = z
  .object({
    plan: subscriptionPlanSchema,
    status: subscriptionStatusSchema.nullable().openapi({ description: "Stripe's status; null on the free plan without a subscription" }),
    isActive: z.boolean(),
    agentLimit: z.number().int().openapi({ description: "Non-archived agent instances the user may keep" }),
    currentPeriodEnd: iso.nullable(),
  })
  .openapi("ChatPlan");

export const MeSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().openapi({ description: "null for phone or anonymous sign-ins" }),
    name: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
    plan: PlanSchema,
  })
  .openapi("ChatMe");
export const userJson = (u: User) => ({
  id: u.id,
  email: publicEmail(u.email),
  name: u.name,
  avatarUrl: u.avatarUrl,
  createdAt: at(u.createdAt),
  updatedAt: at(u.updatedAt),
});

export const ConversationSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    systemPrompt: z.string().nullable(),
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatConversation");
export const conversationJson = (c: Conversation) => ({
  id: c.id,
  title: c.title,
  systemPrompt: c.systemPrompt,
  metadata: c.metadata ?? null,
  createdAt: at(c.createdAt),
  updatedAt: at(c.updatedAt),
});

export const MessageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    role: messageRoleSchema,
    content: z.string(),
    parts: z.array(z.unknown()).nullable(),
    attachments: z.array(z.unknown()).nullable(),
    reasoning: z.string().nullable(),
    createdAt: iso,
  })
  .openapi("ChatMessage");
export const messageJson = (m: Message) => ({
  id: m.id,
  conversationId: m.conversationId,
  role: m.role,
  content: m.content,
  parts: m.parts ?? null,
  attachments: m.attachments ?? null,
  reasoning: m.reasoning,
  createdAt: at(m.createdAt),
});

export const ConversationWithMessagesSchema = ConversationSchema.extend({
  messages: z.array(MessageSchema).openapi({ description: "The most recent messages, oldest first" }),
  hasEarlierMessages: z.boolean().openapi({ description: "true when older messages exist: page through GET …/messages" }),
}).openapi("ChatConversationWithMessages");

export const MessagePageSchema = z
  .object({
    items: z.array(MessageSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .openapi("ChatMessagePage");

export const ArtifactSchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid().nullable(),
    type: artifactTypeSchema,
    title: z.string(),
    content: z.string().nullable(),
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatArtifact");
export const artifactJson = (a: Artifact) => ({
  id: a.id,
  messageId: a.messageId,
  type: a.type,
  title: a.title,
  content: a.content,
  metadata: a.metadata ?? null,
  createdAt: at(a.createdAt),
  updatedAt: at(a.updatedAt),
});

export const AgentToolSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    schema: json.openapi({ description: "JSON Schema of the tool's parameters" }),
    isSystem: z.boolean(),
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatAgentTool");
export const toolJson = (t: AgentTool) => ({
  id: t.id,
  name: t.name,
  description: t.description,
  schema: t.schema,
  isSystem: t.isSystem,
  metadata: t.metadata ?? null,
  createdAt: at(t.createdAt),
  updatedAt: at(t.updatedAt),
});

export const AgentDefinitionSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    description: z.string(),
    systemPrompt: z.string(),
    isPublic: z.boolean(),
    tools: z.array(z.uuid()).openapi({ description: "ids of agent tools" }),
    capabilities: json.nullable(),
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatAgentDefinition");
export const definitionJson = (d: AgentDefinition) => ({
  id: d.id,
  userId: d.userId,
  name: d.name,
  description: d.description,
  systemPrompt: d.systemPrompt,
  isPublic: d.isPublic,
  tools: d.tools ?? [],
  capabilities: d.capabilities ?? null,
  metadata: d.metadata ?? null,
  createdAt: at(d.createdAt),
  updatedAt: at(d.updatedAt),
});

export const AgentInstanceSchema = z
  .object({
    id: z.uuid(),
    definitionId: z.uuid(),
    name: z.string(),
    configuration: json.nullable(),
    status: agentInstanceStatusSchema,
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatAgentInstance");
export const instanceJson = (i: AgentInstance) => ({
  id: i.id,
  definitionId: i.definitionId,
  name: i.name,
  configuration: i.configuration ?? null,
  status: i.status,
  metadata: i.metadata ?? null,
  createdAt: at(i.createdAt),
  updatedAt: at(i.updatedAt),
});

export const WorkflowStepSchema = z
  .object({
    index: z.number().int(),
    name: z.string(),
    status: z.enum(["completed", "failed"]),
    output: z.string().nullable(),
    error: z.string().optional(),
    model: z.string().nullable(),
    startedAt: iso,
    finishedAt: iso,
  })
  .openapi("ChatWorkflowStep");

export const WorkflowSchema = z
  .object({
    id: z.uuid(),
    agentInstanceId: z.uuid().nullable(),
    workflowId: z.string().openapi({ description: "The runner's id (the JOBS queue run)" }),
    status: workflowStatusSchema,
    goal: z.string(),
    steps: z.array(WorkflowStepSchema),
    result: json.nullable(),
    metadata: json.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .openapi("ChatWorkflow");
export const workflowJson = (w: Workflow) => ({
  id: w.id,
  agentInstanceId: w.agentInstanceId,
  workflowId: w.workflowId,
  status: w.status,
  goal: w.goal,
  steps: (w.steps ?? []) as z.infer<typeof WorkflowStepSchema>[],
  result: w.result ?? null,
  metadata: w.metadata ?? null,
  createdAt: at(w.createdAt),
  updatedAt: at(w.updatedAt),
});

/** `{ items, page, pageSize, hasNext }` */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), hasNext: z.boolean() }).openapi(name);
