/**
 * Issue 15 §6: no secret in any log line, also when things fail. Every operation of /openapi.json is called with
 * a valid credential and a body whose every field holds a secret, once with Postgres unreachable and once with
 * Redis unreachable; then the upstreams fail with secrets in play: the chat model (its API key), the marketing
 * skill runner's model, the blog's model with the `openrouter_api_key` setting, a scheduler endpoint holding a
 * bearer token and secret headers, and webhooks signed with the wrong secret. logs.ts captures every line the
 * Worker writes (LOG_LEVEL=debug) and scans them for every secret used; the auth and isolation matrices scan theirs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { call as chatCall, expectJson, llm as chatLlm, newUser, stripeSignature } from "../chat/helpers";
import { chatApi as blogLlm, seedAgents } from "../blog/helpers";
import { createRun, upsertSkill } from "../marketing/helpers";
import { chatApi as marketingLlm } from "../marketing/llm";
import { addEndpoint, createJob, createUser as schedulerUser, deliver, makeDue, quiesce, runCron, target } from "../scheduler/helpers";
import { testEnv, uniq } from "../helpers";
import { captureLogs, registerSecret } from "./logs";
import { fillPath, loadOperations, type Operation } from "./operations";
import { adminHeaders, mintInfluencerAdmin, mintTenant, type ModuleName } from "./principals";
import { bearerHeaders, send } from "./send";

const logs = captureLogs("secrets-in-logs");
const { doc, operations } = await loadOperations();

/** A fresh secret in a shape a redactor would not recognise, so only the scan can find it. */
const secret = (label: string) => {
  const s = `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
  registerSecret(s);
  return s;
};
const deref = (s: any): any => (s?.$ref ? doc.components.schemas[String(s.$ref).split("/").pop()!] : s);

/** Every field of the operation's JSON body set to a secret (types may be wrong: a rejected body is logged too). */
function secretBody(o: Operation): Record<string, unknown> | undefined {
  const schema = deref(o.op.requestBody?.content?.["application/json"]?.schema);
  if (!schema) return undefined;
  return Object.fromEntries(Object.keys(schema.properties ?? {}).map((k) => [k, secret(`body-${k}`)]));
}

async function credentialFor(o: Operation): Promise<Record<string, string>> {
  if (o.security.includes("adminToken") && !o.security.includes("apiKey")) return adminHeaders();
  if (o.security.includes("adminToken")) return (await mintInfluencerAdmin()).headers;
  if (o.security.length === 0 || o.security.some((s) => /signature/i.test(s))) return {};
  return (await mintTenant(o.module as ModuleName)).headers;
}

const DEAD = "http://127.0.0.1:9";
const faults: Record<string, Record<string, string>> = {
  "postgres unreachable": { NEON_SQL_ENDPOINT: `${DEAD}/sql`, DATABASE_URL: "postgres://u:p@127.0.0.1:9/db" },
  "redis unreachable": { UPSTASH_REDIS_REST_URL: DEAD },
};
const figures: Record<string, number> = {};

afterAll(() => {
  console.log(
    `SECRETS-IN-LOGS figures: ${Object.entries(figures)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ")}`,
  );
});

describe("secrets never reach the logs", () => {
  for (const [fault, env] of Object.entries(faults)) {
    it(`every operation with ${fault}, secrets in credentials and bodies`, { timeout: 180_000 }, async () => {
      const statuses: Record<number, number> = {};
      for (const o of operations) {
        const headers = { ...(await credentialFor(o)), "X-Api-Key": secret("header") };
        const r = await send(o.method, fillPath(o.path), { headers, body: secretBody(o), env });
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        expect(r.status, `${o.route}: ${r.text.slice(0, 200)}`).toBeLessThan(600);
      }
      figures[`${fault} requests`] = operations.length;
      console.log(`${fault}: statuses ${JSON.stringify(statuses)}`);
    });
  }

  it("the chat model failing, slow or broken mid-stream, with its API key in every call", async () => {
    const u = await newUser();
    await expectJson(await chatCall(u, "GET", "/me"), 200);
    const conv = (await expectJson(await chatCall(u, "POST", "/conversations", { title: "secrets" }), 201)).id;
    let n = 0;
    for (const rule of [{ status: 500 }, { status: 401 }, { breakAfter: 2, chunks: ["a", "b", "c", "d"] }, { invalid: true }]) {
      await chatLlm.rules([{ ...rule }]);
      const r = await send("POST", `/v1/chat/conversations/${conv}/chat`, {
        headers: bearerHeaders(u.token),
        body: { content: secret("prompt") },
      });
      expect(r.status).toBeLessThan(600);
      n++;
    }
    await chatLlm.reset();
    figures["chat model failures"] = n;
  });

  it("the marketing skill runner's model failing, executed after the queue refused the job", async () => {
    const skill = uniq("sec-skill");
    await upsertSkill(skill, { triggerKeywords: ["secret"] });
    const a = await mintTenant("marketing");
    const run = await createRun({ id: a.subject, key: a.token, lookup: "" }, skill, { userMessage: secret("brief") });
    await marketingLlm.rules([{ status: 500 }]);
    const failingQueue = {
      send: async () => {
        // a client library quoting the request it failed, credentials included
        throw new Error(`queue send failed; request had Authorization: Bearer ${testEnv.ADMIN_TOKEN}`);
      },
    } as unknown as Queue;
    const r = await send("POST", `/v1/marketing/runs/${run.id}/execute`, { headers: a.headers, env: { JOBS: failingQueue } });
    expect([202, 503]).toContain(r.status);
    await marketingLlm.reset();
    figures["marketing model failures"] = 1;
  });

  it("the blog's model failing with the openrouter_api_key setting in use", async () => {
    const key = secret("openrouter");
    await seedAgents(key);
    try {
      const host = `${uniq("secret-store")}.example`;
      await blogLlm.rules([{ match: host, status: 500 }]);
      const r = await send("POST", "/v1/blog/brand-voice", { body: { url: `https://${host}` } });
      expect(r.status).toBeGreaterThanOrEqual(500);
      const put = await send("PUT", "/v1/blog/admin/settings/openrouter_api_key", { headers: adminHeaders(), body: { value: key } });
      expect(put.status).toBe(200);
      expect(put.text).not.toContain(key);
    } finally {
      await blogLlm.reset();
      await seedAgents();
    }
    figures["blog model failures"] = 1;
  });

  it("a scheduler endpoint with a bearer token and secret headers answering 500 and stalling", async () => {
    await quiesce();
    const u = await schedulerUser();
    registerSecret(u.key);
    const job = await createJob(u, { definitionNL: "every 15 minutes", status: "ACTIVE" });
    const path = `/t/${uniq("secret")}`;
    await addEndpoint(u, job.id, {
      url: target.url(path),
      bearerToken: secret("endpoint-bearer"),
      secretHeaders: { "X-Endpoint-Key": secret("endpoint-header") },
      timeoutMs: 300,
    });
    for (const rule of [{ status: 500 }, { delayMs: 1000 }]) {
      await target.rules([{ match: path, ...rule }]);
      await makeDue(job.id);
      const mine = (await runCron()).filter((m) => m.jobId === job.id);
      expect(mine.length).toBe(1);
      await deliver(mine);
    }
    const calls = await target.calls(path);
    expect(calls.count).toBeGreaterThanOrEqual(1);
    await target.reset();
    await quiesce();
    figures["scheduler endpoint failures"] = 2;
  });

  it("webhooks signed with the wrong secret, and with the right one while Postgres is down", async () => {
    const event = JSON.stringify({ id: `evt_${crypto.randomUUID()}`, type: "customer.subscription.created", data: { object: {} } });
    const wrong = await stripeSignature(event, secret("whsec-wrong"));
    const right = await stripeSignature(event);
    registerSecret(right);
    for (const [sig, env] of [
      [wrong, {}],
      [right, faults["postgres unreachable"]],
    ] as const) {
      const r = await send("POST", "/v1/chat/webhooks/stripe", { headers: { "Stripe-Signature": sig }, body: event, env });
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    figures["webhook failures"] = 2;
  });

  it("wrote no secret into any of the captured log lines", () => {
    logs.assertClean({ minLines: 100 });
  });
});
