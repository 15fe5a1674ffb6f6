/**
 * A fake HTTP target for scheduler jobs (the endpoints a job calls), for the workerd tests. Answers any method
 * and path with `200 {"ok":true,"path":…}` unless a rule (matched against `METHOD /path`) makes it fail,
 * stall or answer garbage. Every call is recorded with its method, path, Authorization, x-* headers and body
 * (GET /__control/calls?match=…), so a test can count exactly how often a job's endpoint was called.
 */
import type { IncomingMessage } from "node:http";
import { applyRule, send, startFake, takeRule, type FakeServer } from "./common.js";

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function startJobTarget(): Promise<FakeServer> {
  return startFake("job-target", async (req, res, url, state) => {
    const method = req.method ?? "GET";
    const body = await readText(req);
    const extra = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith("x-")));
    state.calls.push({
      method,
      path: `${url.pathname}${url.search}`,
      at: Date.now(),
      authorization: req.headers.authorization,
      headers: extra,
      body,
    });
    if (await applyRule(takeRule(state, `${method} ${url.pathname}`), res)) return;
    send(res, 200, { ok: true, path: url.pathname });
  });
}
