/**
 * The marketing module's R2 calls: every one bounded by the R2 deadline and a failing store answered as a 503.
 * Also where skill and client files live: a skill's under the folder its `s3_key` names, a client's under
 * `clients.s3_prefix`; the file routes write exactly the keys the `marketing.executeRun` job reads.
 */
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { HttpProblem, unavailable } from "../../src/core/problem";
import type { AppEnv } from "../../src/env";

/** Runs one R2 call within R2_TIMEOUT_MS: a stall is a 503 DeadlineExceeded, any other failure a 503 too. */
export async function inFileStore<T>(env: AppEnv, op: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(op(), deadlines(env).r2Ms, "file store");
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    throw unavailable("The file store failed. Retry shortly.", 5);
  }
}

/** The folder a skill's `s3_key` names: `skills/copywriting/` as is, `skills/copywriting/SKILL.md` → its folder, `skills/copywriting` → + `/`. */
export function skillPrefix(s3Key: string): string {
  if (s3Key.endsWith("/")) return s3Key;
  const last = s3Key.slice(s3Key.lastIndexOf("/") + 1);
  return /\.[a-z0-9]+$/i.test(last) ? s3Key.slice(0, s3Key.length - last.length) : `${s3Key}/`;
}

/** Where outputs live (output-storage.ts); the orphan sweep lists it, and no skill's files may be written there. */
export const OUTPUTS_PREFIX = "outputs/";

/** Media types read as text into a prompt; objects with another stored type (images, PDFs …) are left out. */
export function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const essence = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    essence.startsWith("text/") ||
    /^application\/(json|xml|yaml|x-yaml|toml|x-ndjson|javascript)$/.test(essence) ||
    /\+(json|xml|yaml)$/.test(essence)
  );
}

const byExtension: Record<string, string> = {
  md: "text/markdown; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  html: "text/html; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** The type a file without a `Content-Type` is stored with: from its extension, else `application/octet-stream`. */
export function defaultContentType(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 && byExtension[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}

/** A skill's folder is its own: not the bucket's root, and not inside the outputs or the clients' files. */
export const isUsableSkillFolder = (folder: string) =>
  folder !== "" && !folder.startsWith("/") && !folder.startsWith(OUTPUTS_PREFIX) && !folder.startsWith("clients/");
