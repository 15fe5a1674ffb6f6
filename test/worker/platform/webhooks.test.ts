/**
 * Signed callbacks with real signatures computed here (WebCrypto HMAC, jose HS256), through small apps that read
 * the raw body once, verify, and apply an effect once per event id with onceOnly(): valid, tampered body, wrong
 * secret, outside the tolerance, rotated secrets, duplicate delivery (read back from Postgres).
 */
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import * as scheduler from "./tables";
import { createDb } from "../../../src/db/client";
import { onceOnly } from "../../../src/db/processed-events";
import { verifyQstash } from "../../../src/http/webhooks/qstash";
import { verifyStripe } from "../../../src/http/webhooks/stripe";
import { svixEventId, verifySvix } from "../../../src/http/webhooks/svix";
import { countRoundTrips, sql } from "../helpers";
import { platformEnv } from "./app";
import { createRouter } from "../../../src/http/router";
import { handleError } from "../../../src/http/errors";

const enc = new TextEncoder();
const USER = `wh-${crypto.randomUUID()}`;
const now = () => Math.floor(Date.now() / 1000);
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const b64 = (b: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(b instanceof Uint8Array ? b : new Uint8Array(b))));

async function hmac(key: Uint8Array, msg: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, enc.encode(msg));
}

/** The effect of every test event: the user's name becomes the event's name. */
const renameUser = (name: string) => {
  const db = createDb(platformEnv, scheduler);
  return { db, effect: db.update(scheduler.users).set({ name }).where(eq(scheduler.users.id, USER)) };
};
const userName = async () => (await sql<{ name: string | null }>(`SELECT name FROM scheduler."user" WHERE id = $1`, [USER]))[0]!.name;
const processed = async (source: string, id: string) =>
  (
    await sql<{ n: number }>(`SELECT count(*)::int AS n FROM platform.processed_events WHERE source = $1 AND event_id = $2`, [source, id])
  )[0]!.n;

const STRIPE_OLD = "whsec_old_0123456789abcdef0123456789";
const STRIPE_NEW = "whsec_new_abcdef0123456789abcdef0123";
const SVIX_KEY = crypto.getRandomValues(new Uint8Array(24));
const SVIX_SECRET = `whsec_${b64(SVIX_KEY)}`;
const QSTASH_CURRENT = "sig_current_0123456789abcdef";
const QSTASH_NEXT = "sig_next_abcdef0123456789";
const QSTASH_URL = "https://api.example.com/v1/scheduler/callbacks/qstash";

const app = createRouter();
app.post("/stripe", async (c) => {
  const raw = await c.req.text();
  const event = await verifyStripe(raw, c.req.header("stripe-signature") ?? null, [STRIPE_NEW, STRIPE_OLD]);
  const { db, effect } = renameUser(String((event.data.object as { name?: string }).name));
  return c.json({ status: await onceOnly(db, "stripe", event.id, [effect]) });
});
app.post("/stripe-new-only", async (c) => {
  const event = await verifyStripe(await c.req.text(), c.req.header("stripe-signature") ?? null, [STRIPE_NEW]);
  return c.json({ id: event.id });
});
app.post("/clerk", async (c) => {
  const raw = await c.req.text();
  const body = (await verifySvix(raw, c.req.raw.headers, SVIX_SECRET)) as { data: { first_name: string } };
  const { db, effect } = renameUser(body.data.first_name);
  return c.json({ status: await onceOnly(db, "clerk", svixEventId(c.req.raw.headers)!, [effect]) });
});
app.post("/qstash", async (c) => {
  const raw = await c.req.text();
  await verifyQstash(raw, c.req.header("upstash-signature") ?? null, { currentKey: QSTASH_CURRENT, nextKey: QSTASH_NEXT, url: QSTASH_URL });
  const { db, effect } = renameUser((JSON.parse(raw) as { name: string }).name);
  return c.json({ status: await onceOnly(db, "qstash", c.req.header("upstash-message-id")!, [effect]) });
});
app.onError(handleError);
const post = (path: string, body: string, headers: Record<string, string>) =>
  app.request(path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }, platformEnv);

async function expectRefused(res: Response, detail: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { type: string; detail: string };
  expect(body.type).toBe("/problems/invalid-signature");
  expect(body.detail).toMatch(detail);
}

beforeAll(async () => {
  await sql(`INSERT INTO scheduler."user" (id, name) VALUES ($1, 'initial')`, [USER]);
});

describe("Stripe-Signature", () => {
  const event = (id: string, name: string) =>
    JSON.stringify({ id, object: "event", type: "customer.updated", data: { object: { id: "cus_1", name } } });
  const sign = async (body: string, secrets: string[], t = now()) =>
    `t=${t},${(await Promise.all(secrets.map(async (s) => `v1=${hex(await hmac(enc.encode(s), `${t}.${body}`))}`))).join(",")},v0=deadbeef`;

  it("applies a valid event once; the same event delivered again answers 200 duplicate and changes nothing", async () => {
    const id = `evt_${crypto.randomUUID()}`;
    const body = event(id, "stripe-1");
    const res = await post("/stripe", body, { "stripe-signature": await sign(body, [STRIPE_NEW]) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("stripe-1");
    // a redelivery (Stripe retries with a fresh timestamp) — even carrying another payload — changes nothing
    const again = event(id, "stripe-again");
    const dup = await post("/stripe", again, { "stripe-signature": await sign(again, [STRIPE_NEW]) });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toEqual({ status: "duplicate" });
    expect(await userName()).toBe("stripe-1");
    expect(await processed("stripe", id)).toBe(1);
  });

  it("refuses a tampered body, a wrong secret, a missing or malformed header, and a timestamp outside 5 minutes", async () => {
    const id = `evt_${crypto.randomUUID()}`;
    const body = event(id, "tampered");
    const header = await sign(body, [STRIPE_NEW]);
    await expectRefused(await post("/stripe", body.replace("tampered", "tampered!"), { "stripe-signature": header }), /v1/);
    await expectRefused(await post("/stripe", body, { "stripe-signature": await sign(body, ["whsec_wrong_0000000000000000"]) }), /v1/);
    await expectRefused(await post("/stripe", body, {}), /missing/);
    await expectRefused(await post("/stripe", body, { "stripe-signature": "t=abc,v1=xyz" }), /malformed/);
    await expectRefused(await post("/stripe", body, { "stripe-signature": await sign(body, [STRIPE_NEW], now() - 301) }), /tolerance/);
    await expectRefused(await post("/stripe", body, { "stripe-signature": await sign(body, [STRIPE_NEW], now() + 400) }), /tolerance/);
    expect(await processed("stripe", id)).toBe(0);
    expect(await userName()).not.toBe("tampered");
  });

  it("during a rotation: a header with both secrets' v1, and the old secret still held by the receiver", async () => {
    const id = `evt_${crypto.randomUUID()}`;
    const body = event(id, "rotated");
    // Stripe signs with the old and the new secret; a receiver that already holds only the new one accepts it
    const both = await sign(body, [STRIPE_OLD, STRIPE_NEW]);
    expect((await post("/stripe-new-only", body, { "stripe-signature": both })).status).toBe(200);
    // signed with the old secret only: refused by a receiver that dropped it, accepted by one that still holds it
    const oldOnly = await sign(body, [STRIPE_OLD]);
    await expectRefused(await post("/stripe-new-only", body, { "stripe-signature": oldOnly }), /v1/);
    const res = await post("/stripe", body, { "stripe-signature": oldOnly });
    expect(await res.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("rotated");
  });

  it("verifyStripe is pure: a given `now` decides the window", async () => {
    const body = event("evt_window", "x");
    const t = 1_700_000_000;
    const header = await sign(body, [STRIPE_NEW], t);
    await expect(verifyStripe(body, header, [STRIPE_NEW], { now: t + 299 })).resolves.toMatchObject({ id: "evt_window" });
    await expect(verifyStripe(body, header, [STRIPE_NEW], { now: t + 301 })).rejects.toMatchObject({ status: 400 });
    await expect(verifyStripe(body, header, [STRIPE_NEW], { now: t + 700, toleranceSec: 800 })).resolves.toBeTruthy();
  });
});

describe("Svix (Clerk) signatures", () => {
  const body = (name: string) => JSON.stringify({ type: "user.updated", object: "event", data: { id: "user_1", first_name: name } });
  const sign = async (id: string, ts: number, payload: string, key: Uint8Array = SVIX_KEY) =>
    `v1,${b64(await hmac(key, `${id}.${ts}.${payload}`))}`;
  const headers = async (id: string, payload: string, opts: { ts?: number; key?: Uint8Array; extra?: string } = {}) => {
    const ts = opts.ts ?? now();
    const sig = await sign(id, ts, payload, opts.key);
    return { "svix-id": id, "svix-timestamp": String(ts), "svix-signature": opts.extra ? `${opts.extra} ${sig}` : sig };
  };

  it("applies a valid message once; a redelivery of the same svix-id is a 200 duplicate", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const p = body("clerk-1");
    const res = await post("/clerk", p, await headers(id, p));
    expect(await res.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("clerk-1");
    const p2 = body("clerk-2");
    const dup = await post("/clerk", p2, await headers(id, p2));
    expect(dup.status).toBe(200);
    expect(await dup.json()).toEqual({ status: "duplicate" });
    expect(await userName()).toBe("clerk-1");
    expect(await processed("clerk", id)).toBe(1);
  });

  it("refuses a tampered body, a wrong secret, a stale timestamp and missing headers", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const p = body("bad");
    await expectRefused(await post("/clerk", body("bad!"), await headers(id, p)), /signature/);
    await expectRefused(await post("/clerk", p, await headers(id, p, { key: crypto.getRandomValues(new Uint8Array(24)) })), /signature/);
    await expectRefused(await post("/clerk", p, await headers(id, p, { ts: now() - 600 })), /signature/);
    await expectRefused(await post("/clerk", p, {}), /svix-id/);
    expect(await processed("clerk", id)).toBe(0);
  });

  it("accepts a header carrying several signatures while the sender rotates its secret", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const p = body("clerk-rotated");
    const ts = now();
    const stale = await sign(id, ts, p, crypto.getRandomValues(new Uint8Array(24)));
    const res = await post("/clerk", p, await headers(id, p, { ts, extra: stale }));
    expect(await res.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("clerk-rotated");
  });
});

describe("Upstash-Signature (QStash)", () => {
  const bodyHash = async (payload: string) =>
    b64(await crypto.subtle.digest("SHA-256", enc.encode(payload)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  const sign = async (payload: string, opts: { key?: string; url?: string; exp?: number; hash?: string } = {}) =>
    new SignJWT({ body: opts.hash ?? (await bodyHash(payload)) })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer("Upstash")
      .setSubject(opts.url ?? QSTASH_URL)
      .setIssuedAt()
      .setNotBefore(now() - 1)
      .setExpirationTime(opts.exp ?? now() + 300)
      .setJti(crypto.randomUUID())
      .sign(enc.encode(opts.key ?? QSTASH_CURRENT));

  it("applies a valid message once, signed with the current or the next key; a redelivery is a 200 duplicate", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const p = JSON.stringify({ name: "qstash-1" });
    const res = await post("/qstash", p, { "upstash-signature": await sign(p), "upstash-message-id": id });
    expect(await res.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("qstash-1");
    const p2 = JSON.stringify({ name: "qstash-2" });
    const dup = await post("/qstash", p2, { "upstash-signature": await sign(p2, { key: QSTASH_NEXT }), "upstash-message-id": id });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toEqual({ status: "duplicate" });
    expect(await userName()).toBe("qstash-1");
    expect(await processed("qstash", id)).toBe(1);

    const id2 = `msg_${crypto.randomUUID()}`;
    const p3 = JSON.stringify({ name: "qstash-next" });
    const next = await post("/qstash", p3, { "upstash-signature": await sign(p3, { key: QSTASH_NEXT }), "upstash-message-id": id2 });
    expect(await next.json()).toEqual({ status: "applied" });
    expect(await userName()).toBe("qstash-next");
  });

  it("refuses a tampered body, a wrong key, another URL, an expired token and a missing header", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const p = JSON.stringify({ name: "qstash-bad" });
    const h = (sig: string) => ({ "upstash-signature": sig, "upstash-message-id": id });
    await expectRefused(await post("/qstash", JSON.stringify({ name: "qstash-bad!" }), h(await sign(p))), /Upstash-Signature/);
    await expectRefused(await post("/qstash", p, h(await sign(p, { key: "sig_wrong_000000000000" }))), /Upstash-Signature/);
    await expectRefused(await post("/qstash", p, h(await sign(p, { url: "https://evil.example/hook" }))), /Upstash-Signature/);
    await expectRefused(await post("/qstash", p, h(await sign(p, { exp: now() - 60 }))), /Upstash-Signature/);
    await expectRefused(await post("/qstash", p, { "upstash-message-id": id }), /missing/);
    expect(await processed("qstash", id)).toBe(0);
    expect(await userName()).not.toBe("qstash-bad");
  });
});

describe("onceOnly", () => {
  it("costs one Postgres round trip, and an effect that fails rolls back the event row so a retry can apply it", async () => {
    const id = `evt_${crypto.randomUUID()}`;
    const db = createDb(platformEnv, scheduler);
    const broken = db
      .insert(scheduler.sessions)
      .values({ sessionToken: `s-${id}`, userId: "no-such-user", expires: new Date(Date.now() + 60_000) });
    await expect(onceOnly(db, "test", id, [broken])).rejects.toMatchObject({ code: "23503" });
    expect(await processed("test", id)).toBe(0);
    const { effect } = renameUser("retried");
    const { result, trips } = await countRoundTrips(() => onceOnly(db, "test", id, [effect]));
    expect(result).toBe("applied");
    expect(trips.postgres).toBe(1);
    expect(await userName()).toBe("retried");
    const dup = await countRoundTrips(() => onceOnly(db, "test", id, [renameUser("twice").effect]));
    expect(dup.result).toBe("duplicate");
    expect(dup.trips.postgres).toBe(1);
    expect(await userName()).toBe("retried");
  });
});
