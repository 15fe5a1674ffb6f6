/**
 * The in-isolate memory layer: a small TTL map for tiny, hot, rarely changing data, in front of Redis.
 * An isolate lives for many requests but is not shared: a value written elsewhere is seen here at the latest
 * `ttlMs` later (the staleness bound each user states). Writes made by this isolate forget their entry at once.
 * Bounded: past `max` entries the oldest is dropped (Map keeps insertion order).
 */
export class IsolateMemory<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly max = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Keeps `value` for the layer's TTL, or until `until` (ms since epoch) when that is sooner. */
  set(key: string, value: T, until?: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: Math.min(until ?? Number.POSITIVE_INFINITY, this.now() + this.ttlMs) });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The value in memory, or `load()`'s answer kept for the TTL (a null/undefined answer is not kept). */
  async through(key: string, load: () => Promise<T | null | undefined>): Promise<T | null | undefined> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (value !== null && value !== undefined) this.set(key, value);
    return value;
  }
}
