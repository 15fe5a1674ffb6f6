/**
 * Where outputs live in R2 and what the hot cache knows about runs to name them.
 * Key: `outputs/<skill>/<client-slug | none>-<format>-<YYYY-MM-DD>-<output id>.<ext>` — the seed's pattern, made unique by the output id.
 */
import type { Cache } from "../../src/cache/client";
import type { OutputFormat } from "./schema";

/** Largest output content accepted, in bytes of UTF-8 (the app-wide body limit is 1 MiB). */
export const MAX_OUTPUT_BYTES = 512 * 1024;
export const PREVIEW_CHARS = 500;

export const contentTypes: Record<OutputFormat, string> = {
  markdown: "text/markdown; charset=utf-8",
  json: "application/json; charset=utf-8",
  html: "text/html; charset=utf-8",
};
const extensions: Record<OutputFormat, string> = { markdown: "md", json: "json", html: "html" };

export function outputKey(p: { skill: string; client: string | null; format: OutputFormat; outputId: string; at: Date }): string {
  const date = p.at.toISOString().slice(0, 10);
  return `outputs/${p.skill}/${p.client ?? "none"}-${p.format}-${date}-${p.outputId}.${extensions[p.format]}`;
}

/** First 500 characters, never cutting a surrogate pair in half. */
export function previewOf(content: string): string {
  return Array.from(content.slice(0, PREVIEW_CHARS * 2))
    .slice(0, PREVIEW_CHARS)
    .join("");
}

/** What naming an output needs from its run; immutable except the client's slug, hence the short TTL. */
export interface RunKeyParts {
  userId: string;
  skill: string;
  client: string | null;
}

const RUN_PARTS_TTL_SECONDS = 15 * 60;
const runPartsKey = (runId: string) => `marketing:run-key:${runId}`;

export const rememberRunKeyParts = (cache: Cache, runId: string, parts: RunKeyParts) =>
  cache.set(runPartsKey(runId), parts, { ttlSeconds: RUN_PARTS_TTL_SECONDS });
export const recallRunKeyParts = (cache: Cache, runId: string) => cache.get<RunKeyParts>(runPartsKey(runId));
