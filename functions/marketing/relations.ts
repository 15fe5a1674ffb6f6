import { relations } from "drizzle-orm";
import { clients, feedback, outputs, runs, skills, userChannels, users } from "./schema";

// One pair per foreign key of seed 000.
export const usersRelations = relations(users, ({ many }) => ({
  channels: many(userChannels),
  clients: many(clients),
  runs: many(runs),
}));

export const userChannelsRelations = relations(userChannels, ({ one }) => ({
  user: one(users, { fields: [userChannels.userId], references: [users.id] }),
}));

export const clientsRelations = relations(clients, ({ one, many }) => ({
  user: one(users, { fields: [clients.userId], references: [users.id] }),
  runs: many(runs),
}));

export const skillsRelations = relations(skills, ({ many }) => ({
  runs: many(runs),
}));

export const runsRelations = relations(runs, ({ one, many }) => ({
  user: one(users, { fields: [runs.userId], references: [users.id] }),
  skill: one(skills, { fields: [runs.skillId], references: [skills.id] }),
  client: one(clients, { fields: [runs.clientId], references: [clients.id] }),
  outputs: many(outputs),
}));

export const outputsRelations = relations(outputs, ({ one, many }) => ({
  run: one(runs, { fields: [outputs.runId], references: [runs.id] }),
  // 1:1 since migration 0002 (unique output_id); kept `many` so the relation type does not change.
  feedback: many(feedback),
}));

export const feedbackRelations = relations(feedback, ({ one }) => ({
  output: one(outputs, { fields: [feedback.outputId], references: [outputs.id] }),
}));
