import { relations } from "drizzle-orm";
import { accounts, apiKeys, contextEntries, endpoints, jobs, jobUsage, messages, sessions, tasks, users } from "./schema";

// One pair per foreign key. verificationToken has none (Auth.js keys it by identifier, usually an email).
export const usersRelations = relations(users, ({ many }) => ({
  accounts: many(accounts),
  sessions: many(sessions),
  jobs: many(jobs),
  apiKeys: many(apiKeys),
}));

export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const jobsRelations = relations(jobs, ({ one, many }) => ({
  user: one(users, { fields: [jobs.userId], references: [users.id] }),
  messages: many(messages),
  endpoints: many(endpoints),
  contextEntries: many(contextEntries),
  tasks: many(tasks),
  usage: many(jobUsage),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  job: one(jobs, { fields: [messages.jobId], references: [jobs.id] }),
}));

export const endpointsRelations = relations(endpoints, ({ one, many }) => ({
  job: one(jobs, { fields: [endpoints.jobId], references: [jobs.id] }),
  tasks: many(tasks),
}));

export const contextEntriesRelations = relations(contextEntries, ({ one }) => ({
  job: one(jobs, { fields: [contextEntries.jobId], references: [jobs.id] }),
}));

export const tasksRelations = relations(tasks, ({ one }) => ({
  job: one(jobs, { fields: [tasks.jobId], references: [jobs.id] }),
  endpoint: one(endpoints, { fields: [tasks.endpointId], references: [endpoints.id] }),
}));

export const jobUsageRelations = relations(jobUsage, ({ one }) => ({
  job: one(jobs, { fields: [jobUsage.jobId], references: [jobs.id] }),
}));
