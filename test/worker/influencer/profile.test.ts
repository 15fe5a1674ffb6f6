/** Profiles created on first sight, onboarding forward only, trials with their reminder records, subscriptions. */
import { describe, expect, it } from "vitest";
import { sql } from "../helpers";
import { call, json, problem, token, uid, user } from "./helpers";

describe("profile", () => {
  it("is created on first sight, with the e-mail the token carries, and only once", async () => {
    const id = uid();
    const t = await token(id, { claims: { email: "ann@example.com" } });
    const [a, b] = await Promise.all([call("GET", "/me", { token: t }), call("GET", "/me", { token: t })]);
    const first = await json(a, 200);
    await json(b, 200);
    expect(first).toMatchObject({
      userId: id,
      email: "ann@example.com",
      onboardingStep: "pending",
      trialStatus: "pending",
      subscriptionStatus: "none",
      isAdmin: false,
    });
    expect(await sql("SELECT 1 FROM influencer.user_profiles WHERE user_id = $1", [id])).toHaveLength(1);
  });
});

describe("onboarding", () => {
  it("moves forward one step at a time with each step's fields", async () => {
    const u = await user();
    const info = await json(
      await call("PATCH", "/me/onboarding", {
        token: u.token,
        body: { step: "info_captured", fullName: " Ann Lee ", businessName: "Acme", industry: "fitness" },
      }),
      200,
    );
    expect(info).toMatchObject({ onboardingStep: "info_captured", fullName: "Ann Lee", businessName: "Acme", industry: "fitness" });
    const intent = await json(
      await call("PATCH", "/me/onboarding", {
        token: u.token,
        body: { step: "intent_captured", brandDescription: "Gear for home workouts." },
      }),
      200,
    );
    expect(intent).toMatchObject({ onboardingStep: "intent_captured", brandDescription: "Gear for home workouts.", fullName: "Ann Lee" });
    expect((await json(await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "completed" } }), 200)).onboardingStep).toBe(
      "completed",
    );
    const [row] = await sql<any>(
      "SELECT onboarding_step, full_name, business_name, brand_description FROM influencer.user_profiles WHERE user_id = $1",
      [u.id],
    );
    expect(row).toEqual({
      onboarding_step: "completed",
      full_name: "Ann Lee",
      business_name: "Acme",
      brand_description: "Gear for home workouts.",
    });
  });

  it("refuses skipping, going back and repeating (409), and a step without its fields (400)", async () => {
    const u = await user();
    await problem(await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "completed" } }), 409);
    const missing = await problem(
      await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "info_captured", fullName: "A" } }),
      400,
    );
    expect(missing.errors.map((e: any) => e.path)).toContain("body.businessName");
    await problem(
      await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "intent_captured", brandDescription: "short" } }),
      400,
    );
    await problem(await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "done" } }), 400);
    await json(
      await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "info_captured", fullName: "A", businessName: "B" } }),
      200,
    );
    const again = await problem(
      await call("PATCH", "/me/onboarding", { token: u.token, body: { step: "info_captured", fullName: "C", businessName: "D" } }),
      409,
    );
    expect(again.detail).toMatch(/info_captured/);
    expect((await sql<any>("SELECT full_name FROM influencer.user_profiles WHERE user_id = $1", [u.id]))[0].full_name).toBe("A");
  });
});

describe("trial", () => {
  it("starts from pending for the configured length, scheduling the day 2, 5 and expiry reminders; only once", async () => {
    const u = await user();
    const t0 = Date.now();
    const trial = await json(await call("POST", "/me/trial/start", { token: u.token }), 200);
    expect(trial).toMatchObject({ status: "active", subscriptionStatus: "trialing" });
    const start = Date.parse(trial.startDate);
    expect(start).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(trial.endDate) - start).toBe(7 * 86_400_000);
    expect(trial.reminders.map((r: any) => [r.kind, Date.parse(r.dueAt) - start, r.status])).toEqual([
      ["day_2", 2 * 86_400_000, "scheduled"],
      ["day_5", 5 * 86_400_000, "scheduled"],
      ["expiry", 7 * 86_400_000, "scheduled"],
    ]);
    await problem(await call("POST", "/me/trial/start", { token: u.token }), 409);
    expect(await sql("SELECT 1 FROM influencer.trial_reminders WHERE user_id = $1", [u.id])).toHaveLength(3);
    expect((await json(await call("GET", "/me/trial", { token: u.token }), 200)).reminders).toHaveLength(3);
  });

  it("cancels an active trial and skips its pending reminders", async () => {
    const u = await user();
    await problem(await call("POST", "/me/trial/cancel", { token: u.token }), 409);
    await json(await call("POST", "/me/trial/start", { token: u.token }), 200);
    const cancelled = await json(await call("POST", "/me/trial/cancel", { token: u.token }), 200);
    expect(cancelled).toMatchObject({ status: "cancelled", subscriptionStatus: "canceled" });
    expect(cancelled.reminders.map((r: any) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("a subscription change through the admin route converts the trial", async () => {
    const u = await user();
    await json(await call("POST", "/me/trial/start", { token: u.token }), 200);
    const p = await json(
      await call("PATCH", `/admin/users/${u.id}/subscription`, {
        admin: true,
        body: { subscriptionStatus: "active", stripeCustomerId: "cus_1" },
      }),
      200,
    );
    expect(p).toMatchObject({ subscriptionStatus: "active", trialStatus: "converted" });
    await problem(
      await call("PATCH", `/admin/users/${u.id}/subscription`, { admin: true, body: { subscriptionStatus: "cancelled" } }),
      400,
    );
    await problem(await call("PATCH", `/admin/users/${uid()}/subscription`, { admin: true, body: { subscriptionStatus: "active" } }), 404);
    await problem(
      await call("PATCH", `/admin/users/${u.id}/subscription`, { token: u.token, body: { subscriptionStatus: "active" } }),
      403,
    );
  });
});
