/**
 * fetchJson's default deadline: UPSTREAM_TIMEOUT_MS from the env when the caller gives no timeout of its own;
 * a caller's own timeoutMs wins. The upstream is the local JWKS fake (test/local/fakes/jwks.ts), told to stall.
 */
import { z } from "zod";
import { afterEach, describe, expect, it } from "vitest";
import { fetchJson, UpstreamError } from "../../../src/core/upstream";
import { platformEnv, withEnv } from "./app";

async function jwksControl(path: string, body?: unknown) {
  const res = await fetch(
    `${platformEnv.JWKS_CONTROL_URL}${path}`,
    body === undefined ? undefined : { method: "POST", body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`jwks control ${path}: ${res.status}`);
  return res.json();
}

const keys = z.object({ keys: z.array(z.object({ kid: z.string() })) });

async function failureOf(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return (err as UpstreamError).failure;
}

describe("fetchJson deadlines", () => {
  afterEach(() => jwksControl("/rules", { rules: [] }));

  it("uses UPSTREAM_TIMEOUT_MS when the caller sets no timeout, and the caller's timeoutMs when it does", async () => {
    const set = `upstream-${crypto.randomUUID().slice(0, 8)}`;
    await jwksControl("/keys", { set, keys: [{ kty: "oct", kid: "u1", k: "c2VjcmV0" }] });
    const url = `${platformEnv.JWKS_BASE_URL}/${set}/jwks.json`;
    const ok = await fetchJson(url, { upstream: "test API", schema: keys, env: withEnv({ UPSTREAM_TIMEOUT_MS: "5000" }) });
    expect(ok.keys.map((k) => k.kid)).toEqual(["u1"]);

    await jwksControl("/rules", { rules: [{ match: `/${set}/`, delayMs: 3000 }] });
    expect(await failureOf(fetchJson(url, { upstream: "test API", schema: keys, env: withEnv({ UPSTREAM_TIMEOUT_MS: "200" }) }))).toEqual({
      kind: "timeout",
      ms: 200,
    });
    expect(
      await failureOf(
        fetchJson(url, { upstream: "test API", schema: keys, timeoutMs: 150, env: withEnv({ UPSTREAM_TIMEOUT_MS: "60000" }) }),
      ),
    ).toEqual({ kind: "timeout", ms: 150 });
  });
});
