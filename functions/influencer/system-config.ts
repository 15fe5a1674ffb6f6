/**
 * system_configurations, hot-reloadable: the whole table (a few dozen rows) is one Redis entry read through
 * src/cache/read-through.ts; an admin write deletes it, so the next request anywhere reads Postgres again
 * (no redeploy). With Redis down every read goes to Postgres; a row that is missing or does not parse falls
 * back to the default below (the seed's value), so the module never stops for want of a setting.
 * The settings the module runs on (loadSettings) are also kept in the isolate for SETTINGS_MEMORY_MS: an admin
 * write is seen at once by the isolate that made it, by the others within that bound. The admin routes read
 * Redis/Postgres (loadConfig), never the isolate's copy.
 */
import { asc } from "drizzle-orm";
import type { Context } from "hono";
import type { Cache } from "../../src/cache/client";
import { IsolateMemory } from "../../src/cache/memory";
import { readThrough } from "../../src/cache/read-through";
import type { AppContext, AppEnv } from "../../src/env";
import type { Logger } from "../../src/core/logger";
import { firstRead, requestCache } from "../../src/http/prefetch";
import { influencerDb } from "./db";
import { DEFAULT_CONFIGURATIONS } from "./config-defaults";
import { type ConfigValueType, systemConfigurations } from "./schema";

export { DEFAULT_CONFIGURATIONS };

export const CONFIG_CACHE_KEY = "influencer:system-config:v1";
const HOT_TTL_SECONDS = 60;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

/** "2 days" → 172800000; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const key = unit === "ms" || unit.startsWith("milli") ? "ms" : unit[0]!;
  return Number(m[1]) * UNIT_MS[key]!;
}

export type ParsedValue = number | boolean | unknown;

/** The value as its type says, or an error message (the API answers it as a 400). */
export function parseConfigValue(value: string, type: ConfigValueType): { ok: true; value: ParsedValue } | { ok: false; message: string } {
  switch (type) {
    case "number": {
      const n = Number(value);
      return value.trim() !== "" && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: "is not a finite number" };
    }
    case "boolean":
      return value === "true" || value === "false"
        ? { ok: true, value: value === "true" }
        : { ok: false, message: 'must be "true" or "false"' };
    case "duration": {
      const ms = parseDuration(value);
      return ms !== null ? { ok: true, value: ms } : { ok: false, message: 'is not a duration such as "2 days", "90 minutes" or "30s"' };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(value) };
      } catch {
        return { ok: false, message: "is not valid JSON" };
      }
    case "string":
      return { ok: true, value };
  }
}

export interface ConfigRow {
  category: string;
  key: string;
  value: string;
  valueType: string;
  description: string | null;
  isHotReloadable: string;
  createdAt: string;
  updatedAt: string;
}

export async function readConfigRows(env: AppEnv): Promise<ConfigRow[]> {
  const rows = await influencerDb(env)
    .select()
    .from(systemConfigurations)
    .orderBy(asc(systemConfigurations.category), asc(systemConfigurations.key));
  return rows.map((r) => ({
    category: r.category,
    key: r.key,
    value: r.value,
    valueType: r.valueType,
    description: r.description,
    isHotReloadable: r.isHotReloadable,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export interface ConfigDeps {
  env: AppEnv;
  cache: Cache;
  logger: Logger;
  waitUntil(p: Promise<unknown>): void;
}

/** ConfigDeps of a request. */
export const configDeps = (c: Context<AppContext>): ConfigDeps => ({
  env: c.env,
  cache: requestCache(c),
  logger: c.get("logger"),
  waitUntil: (p) => c.executionCtx.waitUntil(p),
});

/** For routes that read the snapshot first thing: its Redis read travels with the auth/limit round trip. */
export const configRead = firstRead(() => CONFIG_CACHE_KEY);

/** All rows: Redis when it holds them (no Postgres round trip), Postgres otherwise. */
export async function loadConfig(deps: ConfigDeps): Promise<{ rows: ConfigRow[]; source: string }> {
  const { value, source } = await readThrough<ConfigRow[]>(deps, {
    key: CONFIG_CACHE_KEY,
    hotTtlSeconds: HOT_TTL_SECONDS,
    // Postgres is the only layer behind Redis: "durable" here, always fresh; there is no origin beyond it.
    durable: { read: async () => ({ value: await readConfigRows(deps.env), expiresAt: Date.now() + 3_600_000 }) },
    origin: async () => ({ value: await readConfigRows(deps.env), expiresAt: Date.now() + 3_600_000 }),
  });
  return { rows: value, source };
}

/** The staleness bound of the settings in other isolates after an admin write. */
export const SETTINGS_MEMORY_MS = 5000;
const settingsMemory = new IsolateMemory<ConfigRow[]>(SETTINGS_MEMORY_MS, 1);

export async function invalidateConfig(cache: Cache): Promise<void> {
  settingsMemory.clear();
  await cache.del(CONFIG_CACHE_KEY);
}

/** Typed getters over a snapshot, falling back to DEFAULT_CONFIGURATIONS. */
export function settingsOf(rows: ConfigRow[], logger?: Logger) {
  const byKey = new Map(rows.map((r) => [`${r.category}.${r.key}`, r]));
  const get = (category: string, key: string, type: ConfigValueType): ParsedValue => {
    const row = byKey.get(`${category}.${key}`);
    if (row && row.valueType === type) {
      const parsed = parseConfigValue(row.value, type);
      if (parsed.ok) return parsed.value;
    }
    if (row) logger?.warn("system configuration unusable, using the default", { category, key });
    const fallback = DEFAULT_CONFIGURATIONS.find((d) => d.category === category && d.key === key);
    if (!fallback) throw new Error(`no default for ${category}.${key}`);
    return (parseConfigValue(fallback.value, type) as { value: ParsedValue }).value;
  };
  return {
    number: (category: string, key: string) => get(category, key, "number") as number,
    durationMs: (category: string, key: string) => get(category, key, "duration") as number,
  };
}
export type Settings = ReturnType<typeof settingsOf>;

export async function loadSettings(deps: ConfigDeps): Promise<Settings> {
  const rows = await settingsMemory.through(CONFIG_CACHE_KEY, async () => (await loadConfig(deps)).rows);
  return settingsOf(rows ?? [], deps.logger);
}
