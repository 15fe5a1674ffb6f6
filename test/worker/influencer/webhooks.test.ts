/** Clerk webhooks through Svix signatures: profiles created, updated and deleted; bad signatures; redeliveries. */
import { describe, expect, it } from "vitest";
import { api, sql } from "../helpers";
import { call, campaignWithJob, json, problem, svixHeaders, token, uid } from "./helpers";

const event = (type: string, id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type,
    data: {
      id,
      first_name: "Ann",
      last_name: "Lee",
      primary_email_address_id: "idn_2",
      email_addresses: [
        { id: "idn_1", email_address: "old@example.com" },
        { id: "idn_2", email_address: "ann@example.com" },
      ],
      ...extra,
    },
    object: "event",
  });
const post = async (body: string, headers?: Record<string, string>) =>
  api("/v1/influencer/webhooks/clerk", { method: "POST", headers: headers ?? (await svixHeaders(body)), body });
const profile = async (id: string) =>
  (await sql<any>("SELECT email, name, updated_at FROM influencer.user_profiles WHERE user_id = $1", [id]))[0];

describe("Clerk webhooks", () => {
  it("user.created creates the profile with the primary e-mail; user.updated changes it", async () => {
    const id = uid();
    expect(await json(await post(event("user.created", id)), 200)).toEqual({ type: "user.created", outcome: "applied" });
    expect(await profile(id)).toMatchObject({ email: "ann@example.com", name: "Ann Lee" });
    await json(await post(event("user.updated", id, { first_name: "Anna", primary_email_address_id: "idn_1" })), 200);
    expect(await profile(id)).toMatchObject({ email: "old@example.com", name: "Anna Lee" });
    const me = await json(await call("GET", "/me", { token: await token(id) }), 200);
    expect(me).toMatchObject({ userId: id, email: "old@example.com", name: "Anna Lee" });
  });

  it("a redelivered event (same svix-id) leaves one profile, unchanged", async () => {
    const id = uid();
    const body = event("user.created", id);
    const headers = await svixHeaders(body, { id: `msg_dup_${id}` });
    await json(await post(body, headers), 200);
    const first = await profile(id);
    await sql("UPDATE influencer.user_profiles SET email = 'changed@example.com' WHERE user_id = $1", [id]);
    expect(await json(await post(body, headers), 200)).toEqual({ type: "user.created", outcome: "duplicate" });
    expect(await sql("SELECT 1 FROM influencer.user_profiles WHERE user_id = $1", [id])).toHaveLength(1);
    expect((await profile(id)).email).toBe("changed@example.com");
    await sql("UPDATE influencer.user_profiles SET email = $2 WHERE user_id = $1", [id, first.email]);
    expect((await profile(id)).email).toBe(first.email);
  });

  it("user.deleted removes the profile and the user's campaigns, jobs and reminders", async () => {
    const id = uid();
    const t = await token(id);
    await json(await call("GET", "/me", { token: t }), 200);
    await json(await call("POST", "/me/trial/start", { token: t }), 200);
    const { campaign, job } = await campaignWithJob({ id, token: t }, { n: 1 });
    await json(await post(JSON.stringify({ type: "user.deleted", data: { id, deleted: true }, object: "event" })), 200);
    expect(await profile(id)).toBeUndefined();
    expect(await sql("SELECT 1 FROM influencer.campaigns WHERE id = $1", [campaign.id])).toHaveLength(0);
    expect(await sql("SELECT 1 FROM influencer.scraping_jobs WHERE id = $1", [job.id])).toHaveLength(0);
    expect(await sql("SELECT 1 FROM influencer.trial_reminders WHERE user_id = $1", [id])).toHaveLength(0);
  });

  it("a user.updated delivered after the user's user.deleted does not bring the profile back", async () => {
    const id = uid();
    await json(await post(event("user.created", id)), 200);
    await json(await post(JSON.stringify({ type: "user.deleted", data: { id, deleted: true }, object: "event" })), 200);
    expect(await json(await post(event("user.updated", id)), 200)).toEqual({ type: "user.updated", outcome: "skipped" });
    expect(await profile(id)).toBeUndefined();
  });

  it("other event types are acknowledged and ignored", async () => {
    expect(await json(await post(JSON.stringify({ type: "session.created", data: { id: "sess_1" } })), 200)).toEqual({
      type: "session.created",
      outcome: "ignored",
    });
  });

  it("a missing, wrong, stale or other-body signature is a 400 (invalid-signature) and writes nothing", async () => {
    const id = uid();
    const body = event("user.created", id);
    const good = await svixHeaders(body);
    const cases = [
      await post(body, { "Content-Type": "application/json" }),
      await post(body, await svixHeaders(body, { secret: `whsec_${btoa("another secret entirely!!")}` })),
      await post(body, await svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 })),
      await post(event("user.created", uid()), good),
    ];
    for (const res of cases) expect((await problem(res, 400)).type).toBe("/problems/invalid-signature");
    expect(await profile(id)).toBeUndefined();
  });

  it("a signed body that is not a Clerk event is a 400", async () => {
    await problem(await post(JSON.stringify({ data: {} })), 400);
    await problem(await post(JSON.stringify({ type: "user.created", data: {} })), 400);
  });
});
