/**
 * Select schemas describe what a row holds; insert/patch schemas what the API accepts. Server-managed
 * columns (ids, creation and update stamps) are left out of insert/patch, and the tenant's `userId` out of
 * patch; dates are coerced on input. Vocabularies seed 002 keeps in text columns (given in its comments)
 * are z.enum in all three schemas.
 */
import { createSchemaFactory, createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { listQuerySchema } from "../../src/http/pagination";
import {
  agentDefinitions,
  agentInstanceStatuses,
  agentInstances,
  agentTools,
  artifactTypes,
  artifacts,
  messageRoles,
  messages,
  subscriptionPlans,
  subscriptionStatuses,
  subscriptions,
  workflowStatuses,
  workflows,
} from "./schema";

const { createInsertSchema, createUpdateSchema } = createSchemaFactory({ coerce: { date: true } });

export const messageRoleSchema = z.enum(messageRoles);
export const artifactTypeSchema = z.enum(artifactTypes);
export const agentInstanceStatusSchema = z.enum(agentInstanceStatuses);
export const workflowStatusSchema = z.enum(workflowStatuses);
export const subscriptionPlanSchema = z.enum(subscriptionPlans);
export const subscriptionStatusSchema = z.enum(subscriptionStatuses);

const jsonObject = z.record(z.string(), z.unknown());
const jsonArray = z.array(z.unknown());
const nonEmpty = (s: z.ZodString) => s.min(1);
const tenantManaged = { id: true, createdAt: true, updatedAt: true } as const;
const patchManaged = { ...tenantManaged, userId: true } as const;

// messages
const messageRefine = { role: () => messageRoleSchema, parts: () => jsonArray, attachments: () => jsonArray };
export const insertMessageSchema = createInsertSchema(messages, messageRefine).omit({ id: true, createdAt: true });

// artifacts
const artifactRefine = { type: () => artifactTypeSchema, title: nonEmpty, metadata: () => jsonObject };
export const insertArtifactSchema = createInsertSchema(artifacts, artifactRefine).omit(tenantManaged);

// agent_definitions
const definitionRefine = {
  name: nonEmpty,
  description: nonEmpty,
  systemPrompt: nonEmpty,
  tools: () => z.array(z.uuid()),
  capabilities: () => jsonObject,
  metadata: () => jsonObject,
};
export const insertAgentDefinitionSchema = createInsertSchema(agentDefinitions, definitionRefine).omit(tenantManaged);

// agent_instances
const instanceRefine = {
  name: nonEmpty,
  status: () => agentInstanceStatusSchema,
  configuration: () => jsonObject,
  metadata: () => jsonObject,
};
export const patchAgentInstanceSchema = createUpdateSchema(agentInstances, instanceRefine).omit({ ...patchManaged, definitionId: true });

export const selectAgentToolSchema = createSelectSchema(agentTools, { schema: () => jsonObject, metadata: () => jsonObject });

// workflows
const workflowRefine = {
  workflowId: nonEmpty,
  status: () => workflowStatusSchema,
  goal: nonEmpty,
  steps: () => z.array(jsonObject),
  result: () => jsonObject,
  metadata: () => jsonObject,
};
export const insertWorkflowSchema = createInsertSchema(workflows, workflowRefine).omit(tenantManaged);

// subscriptions
const subscriptionRefine = {
  plan: () => subscriptionPlanSchema,
  status: () => subscriptionStatusSchema,
  agentLimit: (s: z.ZodNumber) => s.int().min(0),
};
export const insertSubscriptionSchema = createInsertSchema(subscriptions, subscriptionRefine).omit(tenantManaged);

export const listConversationsQuerySchema = listQuerySchema(["updatedAt", "createdAt", "title"]);
export const listMessagesQuerySchema = listQuerySchema(["createdAt"]).extend({ sortDirection: z.enum(["asc", "desc"]).default("asc") });
