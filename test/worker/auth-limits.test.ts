/** Per-principal rate limits, failed-authentication limits per IP, and the negative cache of unknown API keys. */
import { describe, expect, it } from "vitest";
import { api, control, countRoundTrips, redisCommand } from "./helpers";
import { BASE, createUser } from "./marketing/helpers";

const randomKey = () => `mk_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}_${crypto.randomUUID().replace(/-/g, "")}`;
const me = (token: string, ip: string) => api(`${BASE}/me`, { headers: { Authorization: `Bearer ${token}`, "CF-Connecting-IP": ip } });
const testIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe("authentication hygiene", () => {
  it("an unknown but well-formed API key reaches Postgres once, then is refused from the negative cache", async () => {
    const key = randomKey();
    const ip = testIp();
    const first = await countRoundTrips(() => me(key, ip));
    expect(first.result.status).toBe(401);
    expect(first.trips.postgres).toBe(1);
    const again = await countRoundTrips(async () => {
      for (let i = 0; i < 5; i++) expect((await me(key, ip)).status).toBe(401);
    });
    expect(again.trips.postgres).toBe(0);
  });

  it("a flood of random keys from one IP: 30 failures a minute reach Postgres, then 429 without a lookup", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    const { trips } = await countRoundTrips(async () => {
      for (let i = 0; i < 40; i++) statuses.push((await me(randomKey(), ip)).status);
    });
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    // 30 refused lookups plus the one that tipped the limit; the 9 after it never reach Postgres
    expect(trips.postgres).toBe(31);
    const blocked = await me(randomKey(), ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toBeTruthy();
    // another address is not affected
    expect((await me(randomKey(), testIp())).status).toBe(401);
  });

  it("limits per principal, whichever address the calls come from", async () => {
    const u = await createUser();
    const a = await me(u.key, testIp());
    const b = await me(u.key, testIp());
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.headers.get("RateLimit-Limit")).toBe("600");
    expect(Number(b.headers.get("RateLimit-Remaining"))).toBe(Number(a.headers.get("RateLimit-Remaining")) - 1);
  });

  it("counts a principal's requests without a write on the request path; the count reaches Redis after the response", async () => {
    const u = await createUser();
    expect((await me(u.key, testIp())).status).toBe(200); // this isolate learns whose key it is
    const { result, trips } = await countRoundTrips(() => me(u.key, testIp()));
    expect(result.status).toBe(200);
    expect(trips.redis).toBe(1); // limit, credential and nothing else: one read-only round
    expect((await control<{ redisWrites: number }>("/stats")).redisWrites).toBe(0);
    // the commits of both requests land after their responses, as this isolate's field of the window's hash
    // (summed over the window hashes: the two requests may straddle a minute boundary)
    const committed = async () => {
      const fields = new Set<string>();
      let sum = 0;
      for (const key of await redisCommand<string[]>("KEYS", `ratelimit:principal:principal:*${u.id}*`)) {
        const hash = await redisCommand<string[]>("HGETALL", key);
        for (let i = 0; i < hash.length; i += 2) {
          fields.add(hash[i]!);
          sum += Number(hash[i + 1]);
        }
      }
      return { fields: fields.size, sum };
    };
    let seen = await committed();
    for (let i = 0; i < 50 && seen.sum < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await committed();
    }
    expect(seen).toEqual({ fields: 1, sum: 2 });
  });

  it("adds what other isolates committed for the principal", async () => {
    const u = await createUser();
    expect((await me(u.key, testIp())).status).toBe(200);
    let key: string | undefined;
    for (let i = 0; i < 50 && !key; i++) {
      [key] = await redisCommand<string[]>("KEYS", `ratelimit:principal:principal:*${u.id}*`);
      if (!key) await new Promise((r) => setTimeout(r, 20));
    }
    expect(key).toBeDefined();
    // other isolates admitted more than the minute's 600 (more than enough also if the minute has just turned)
    await redisCommand("HSET", key!, "another-isolate", 700);
    const over = await me(u.key, testIp());
    expect(over.status).toBe(429);
    expect(over.headers.get("Retry-After")).toBeTruthy();
  });
});
