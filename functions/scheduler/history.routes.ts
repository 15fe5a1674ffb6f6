import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, problemResponses, uuidParams } from "../../src/http/openapi";
import { MessageSchema, pageSchema, TaskSchema, UsageReportSchema } from "./responses";
import { asUser } from "./route-kit";

/** The seed's page conventions for a job's records: page, pageSize ≤ 100 (default 10), sortDirection on createdAt. */
export const HistoryQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
  sortDirection: z.enum(["asc", "desc"]).default("desc"),
});

const day = z.iso.date().openapi({ example: "2026-12-01" });
export const UsageQuery = z.object({
  from: day.optional().openapi({ description: "First UTC day (default: 30 days before `to`)" }),
  to: day.optional().openapi({ description: "Last UTC day (default: today)" }),
  jobId: z.uuid().optional().openapi({ description: "Only this job" }),
});

export const listMessages = createRoute({
  ...asUser("ListMessages"),
  method: "get",
  path: "/jobs/{jobId}/messages",
  summary: "The messages a job's runs wrote, newest first",
  request: { params: uuidParams("jobId"), query: HistoryQuery },
  responses: {
    200: jsonContent(pageSchema(MessageSchema, "SchedulerMessagePage"), "A page of messages"),
    ...problemResponses(400, 401, 404),
  },
});

export const listTasks = createRoute({
  ...asUser("ListTasks"),
  method: "get",
  path: "/jobs/{jobId}/tasks",
  summary: "The tasks (endpoint calls) of a job's runs, newest first",
  request: { params: uuidParams("jobId"), query: HistoryQuery },
  responses: { 200: jsonContent(pageSchema(TaskSchema, "SchedulerTaskPage"), "A page of tasks"), ...problemResponses(400, 401, 404) },
});

export const getUsage = createRoute({
  ...asUser("GetUsage"),
  method: "get",
  path: "/usage",
  summary: "Token usage of the caller's jobs, per job and per UTC day",
  request: { query: UsageQuery },
  responses: { 200: jsonContent(UsageReportSchema, "The usage"), ...problemResponses(400, 401) },
});
