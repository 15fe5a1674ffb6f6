import { relations } from "drizzle-orm";
import { agentDefinitions, agentInstances, artifacts, conversations, messages, subscriptions, users, workflows } from "./schema";

// One pair per foreign key of seed 002. agent_definitions.tools (JSON ids of agent_tools) is not a relation.
export const usersRelations = relations(users, ({ many }) => ({
  conversations: many(conversations),
  artifacts: many(artifacts),
  agentDefinitions: many(agentDefinitions),
  agentInstances: many(agentInstances),
  workflows: many(workflows),
  subscriptions: many(subscriptions),
}));

export const conversationsRelations = relations(conversations, ({ one, many }) => ({
  user: one(users, { fields: [conversations.userId], references: [users.id] }),
  messages: many(messages),
}));

export const messagesRelations = relations(messages, ({ one, many }) => ({
  conversation: one(conversations, { fields: [messages.conversationId], references: [conversations.id] }),
  artifacts: many(artifacts),
}));

export const artifactsRelations = relations(artifacts, ({ one }) => ({
  user: one(users, { fields: [artifacts.userId], references: [users.id] }),
  message: one(messages, { fields: [artifacts.messageId], references: [messages.id] }),
}));

export const agentDefinitionsRelations = relations(agentDefinitions, ({ one, many }) => ({
  user: one(users, { fields: [agentDefinitions.userId], references: [users.id] }),
  instances: many(agentInstances),
}));

export const agentInstancesRelations = relations(agentInstances, ({ one, many }) => ({
  user: one(users, { fields: [agentInstances.userId], references: [users.id] }),
  definition: one(agentDefinitions, { fields: [agentInstances.definitionId], references: [agentDefinitions.id] }),
  workflows: many(workflows),
}));

export const workflowsRelations = relations(workflows, ({ one }) => ({
  user: one(users, { fields: [workflows.userId], references: [users.id] }),
  agentInstance: one(agentInstances, { fields: [workflows.agentInstanceId], references: [agentInstances.id] }),
}));

export const subscriptionsRelations = relations(subscriptions, ({ one }) => ({
  user: one(users, { fields: [subscriptions.userId], references: [users.id] }),
}));
