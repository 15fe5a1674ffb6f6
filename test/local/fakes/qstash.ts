/**
 * A fake of QStash's publish API for the workerd tests: `POST /v2/publish/<destination>` with the token as a
 * bearer is recorded (destination, body, headers) and answered `{ messageId }`. It delivers nothing by itself:
 * a test reads the recorded messages (GET /__control/messages) and delivers them, signed, to the Worker.
 * Failure rules (POST /__control/rules, match on the destination) make a publish fail or stall.
 */
import { applyRule, send, startFake, takeRule, type FakeServer } from "./common.js";

export interface Published {
  messageId: string;
  destination: string;
  body: string;
  headers: Record<string, string>;
}

export function startQstash(token: string): Promise<FakeServer> {
  const published: Published[] = [];
  let n = 0;
  return startFake(
    "qstash",
    async (req, res, url, state) => {
      const m = url.pathname.match(/^\/v2\/publish\/(.+)$/);
      if (req.method !== "POST" || !m) return send(res, 404, { error: "not found" });
      const destination = decodeURIComponent(m[1]!);
      state.calls.push({ method: "POST", path: url.pathname, at: Date.now() });
      if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: "invalid token" });
      if (await applyRule(takeRule(state, destination), res)) return;
      const chunks: Buffer[] = [];
      for await (const ch of req) chunks.push(ch as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k.startsWith("upstash-") || k === "content-type")
          .map(([k, v]) => [k, String(v)]),
      );
      const messageId = `msg_${++n}`;
      published.push({ messageId, destination, body: Buffer.concat(chunks).toString("utf8"), headers });
      return send(res, 201, { messageId, url: destination });
    },
    (route) => {
      if (route === "GET /messages") return { messages: published };
      if (route === "POST /messages/clear") {
        published.length = 0;
        return { ok: true };
      }
      return undefined;
    },
  );
}
