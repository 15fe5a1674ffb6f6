/** Logs never carry secrets: a database failure while writing a secret setting, and the redaction pass itself. */
import { afterEach, describe, expect, it } from "vitest";
import { redact } from "../../src/core/logger";
import { api, control } from "./helpers";

const ADMIN = "test-admin-token-0123456789abcdef";

afterEach(() => control("/postgres/start"));

async function captureConsole<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const orig = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const m of Object.keys(orig) as (keyof typeof orig)[]) {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
  }
  try {
    return { result: await fn(), lines };
  } finally {
    Object.assign(console, orig);
  }
}

describe("log hygiene", () => {
  it("a PUT of openrouter_api_key that fails at the database logs the failure but never the value", async () => {
    const secret = `zq${crypto.randomUUID().replace(/-/g, "")}`;
    await control("/postgres/stop");
    let res: Response;
    let lines: string[];
    try {
      ({ result: res, lines } = await captureConsole(() =>
        api("/v1/blog/admin/settings/openrouter_api_key", {
          method: "PUT",
          headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json" },
          body: JSON.stringify({ value: secret }),
        }),
      ));
    } finally {
      await control("/postgres/start");
    }
    expect(res.status).toBe(503);
    const all = lines.join("\n");
    expect(all).toMatch(/request failed/);
    expect(all).toMatch(/params: \[omitted\]/);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(ADMIN);
    expect(await res.text()).not.toContain(secret);
  });

  it("redacts bearer tokens, API keys, JWTs, secret-named fields and vendor key shapes", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const apiKey = "mk_abcdefghij12_Zm9vYmFyYmF6cXV4cXV1eHh5eno";
    const rec = redact({
      msg: `call with Bearer ${jwt} failed`,
      header: "Authorization: Bearer abc.def",
      note: `key ${apiKey} used; openrouter sk-or-v1-0123456789abcdef0123456789abcdef; stripe whsec_0123456789abcdefABCDEF and sk_live_0123456789abcdefghij`,
      url: "https://user:hunter2@db.example/x?token=abc123&page=2",
      password: "hunter2",
      clientSecret: "s3cr3t",
      api_key: "k",
      nested: { accessToken: "t0k", list: [{ secret: "x" }] },
      count: 3,
      requestId: "r-1",
    }) as Record<string, any>;
    const text = JSON.stringify(rec);
    for (const s of [
      jwt,
      apiKey,
      "Zm9vYmFyYmF6cXV4cXV1eHh5eno",
      "sk-or-v1-0123",
      "whsec_0123",
      "sk_live_0123",
      "hunter2",
      "s3cr3t",
      "t0k",
      "abc123",
      "abc.def",
    ]) {
      expect(text).not.toContain(s);
    }
    expect(rec.note).toContain("mk_abcdefghij12_[redacted]");
    expect(rec.url).toContain("page=2");
    expect(rec.count).toBe(3);
    expect(rec.requestId).toBe("r-1");
    expect(rec.nested.list[0].secret).toBe("[redacted]");
  });
});
