/**
 * System tools for seed 002's agents (`agent_tools.is_system = true`). The code owns them: upserted on
 * `name`, a changed description or parameter schema is written back, an unchanged one is left untouched.
 */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { agentTools, type NewAgentTool } from "./schema";
import { describeCounts, upsertRows } from "../../src/db/upsert-rows";

const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

export const systemToolsData: NewAgentTool[] = [
  {
    name: "web_search",
    description: "Search the web and return the most relevant results with title, URL and snippet.",
    schema: object({
      query: { type: "string", minLength: 1, description: "What to search for" },
      maxResults: { type: "integer", minimum: 1, maximum: 10, default: 5 },
    }, ["query"]),
    isSystem: true,
    metadata: { category: "research" },
  },
  {
    name: "fetch_webpage",
    description: "Fetch a web page and return its main content as Markdown.",
    schema: object({
      url: { type: "string", format: "uri", description: "http(s) URL of the page" },
    }, ["url"]),
    isSystem: true,
    metadata: { category: "research" },
  },
  {
    name: "get_current_time",
    description: "Return the current date and time in the given IANA time zone.",
    schema: object({
      timeZone: { type: "string", description: "IANA time zone, e.g. Europe/Berlin", default: "UTC" },
    }, []),
    isSystem: true,
    metadata: { category: "utility" },
  },
  {
    name: "calculator",
    description: "Evaluate an arithmetic expression (+ - * / ^, parentheses) and return the number.",
    schema: object({
      expression: { type: "string", minLength: 1, description: "e.g. (12.5 * 4) / 3" },
    }, ["expression"]),
    isSystem: true,
    metadata: { category: "utility" },
  },
  {
    name: "create_document",
    description: "Create an artifact (code, text, sheet or image) attached to the current message.",
    schema: object({
      title: { type: "string", minLength: 1 },
      kind: { type: "string", enum: ["code", "text", "sheet", "image"] },
      content: { type: "string" },
    }, ["title", "kind"]),
    isSystem: true,
    metadata: { category: "artifacts" },
  },
  {
    name: "update_document",
    description: "Rewrite an existing artifact following a description of the change.",
    schema: object({
      id: { type: "string", format: "uuid", description: "Artifact id" },
      description: { type: "string", minLength: 1, description: "What to change" },
    }, ["id", "description"]),
    isSystem: true,
    metadata: { category: "artifacts" },
  },
];

export async function seedChat(db: NodePgDatabase<any>, log: (line: string) => void): Promise<void> {
  const counts = await upsertRows(db, agentTools, systemToolsData, {
    target: agentTools.name,
    update: ["description", "schema", "isSystem", "metadata"],
  });
  log(describeCounts("chat.agent_tools (system)", counts));
}
