/** The in-isolate memory layer (src/cache/memory.ts): TTL, the bound on entries, through(). */
import { describe, expect, it } from "vitest";
import { IsolateMemory } from "../../src/cache/memory";

describe("IsolateMemory", () => {
  it("serves a value for its TTL and not after (the staleness bound)", () => {
    let now = 1000;
    const m = new IsolateMemory<string>(5000, 10, () => now);
    m.set("k", "v");
    now += 4999;
    expect(m.get("k")).toBe("v");
    now += 1;
    expect(m.get("k")).toBeUndefined();
  });

  it("keeps an entry no longer than its own deadline when that is sooner", () => {
    let now = 0;
    const m = new IsolateMemory<number>(60_000, 10, () => now);
    m.set("blocked", 1, 2000);
    now = 1999;
    expect(m.get("blocked")).toBe(1);
    now = 2000;
    expect(m.get("blocked")).toBeUndefined();
  });

  it("drops the oldest entry past its bound, and forgets on delete/clear", () => {
    const m = new IsolateMemory<number>(60_000, 2);
    m.set("a", 1);
    m.set("b", 2);
    m.set("c", 3);
    expect([m.get("a"), m.get("b"), m.get("c")]).toEqual([undefined, 2, 3]);
    m.delete("b");
    expect(m.get("b")).toBeUndefined();
    m.clear();
    expect(m.get("c")).toBeUndefined();
  });

  it("through(): loads once while fresh, does not keep an empty answer", async () => {
    const m = new IsolateMemory<string>(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      return loads === 1 ? null : "x";
    };
    expect(await m.through("k", load)).toBeNull();
    expect(await m.through("k", load)).toBe("x");
    expect(await m.through("k", load)).toBe("x");
    expect(loads).toBe(2);
  });
});
