/**
 * Shared plumbing of the fake upstream servers the workerd tests talk to: JSON in and out, 127.0.0.1 on a
 * free port, and a `/__control` surface (rules, recorded calls, reset) the tests drive over HTTP.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { freePort } from "../ports.js";

export async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A behaviour a test asks for: matching requests get this status / delay / garbage (for `times` requests, or until reset). */
export interface Rule {
  /** substring of `METHOD /path?query` (or of the chat model / prompt, for the chat fake) */
  match?: string;
  status?: number;
  delayMs?: number;
  /** answer 200 with a body that is not JSON */
  invalid?: boolean;
  times?: number;
  [extra: string]: unknown;
}

export interface RecordedCall {
  method: string;
  path: string;
  at: number;
  [extra: string]: unknown;
}

export interface FakeServer {
  url: string;
  controlUrl: string;
  close(): Promise<void>;
}

export interface FakeState {
  rules: Rule[];
  calls: RecordedCall[];
}

/** Takes the first rule whose `match` occurs in `subject`, counting down its `times`. */
export function takeRule(state: FakeState, subject: string): Rule | undefined {
  const i = state.rules.findIndex((r) => !r.match || subject.includes(r.match));
  if (i < 0) return undefined;
  const rule = state.rules[i]!;
  if (rule.times !== undefined && --rule.times <= 0) state.rules.splice(i, 1);
  return rule;
}

export async function startFake(
  name: string,
  handle: (req: IncomingMessage, res: ServerResponse, url: URL, state: FakeState) => Promise<void>,
  control: (route: string, body: any, state: FakeState) => unknown | undefined = () => undefined,
): Promise<FakeServer> {
  const state: FakeState = { rules: [], calls: [] };
  const port = await freePort();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname.startsWith("/__control/")) {
        const route = `${req.method} ${url.pathname.slice("/__control".length)}`;
        const body = req.method === "POST" ? await readJson(req) : {};
        switch (route) {
          case "POST /rules":
            state.rules = body.rules ?? [];
            return send(res, 200, { ok: true });
          case "POST /reset":
            state.rules = [];
            state.calls = [];
            return send(res, 200, { ok: true });
          case "GET /calls": {
            const match = url.searchParams.get("match") ?? "";
            const calls = state.calls.filter((c) => `${c.method} ${c.path}`.includes(match));
            return send(res, 200, { count: calls.length, calls });
          }
        }
        const out = control(route, body, state);
        return out === undefined ? send(res, 404, { error: `${name}: no control route ${route}` }) : send(res, 200, out);
      }
      await handle(req, res, url, state);
    } catch (err) {
      send(res, 500, { error: `${name}: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  // A client that timed out closes its socket while a delayed answer is pending: not an error here.
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    controlUrl: `${url}/__control`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Applies a rule's delay and failure; true when the rule already answered. */
export async function applyRule(rule: Rule | undefined, res: ServerResponse): Promise<boolean> {
  if (!rule) return false;
  if (rule.delayMs) await sleep(rule.delayMs);
  if (rule.status && rule.status !== 200) {
    send(
      res,
      rule.status,
      { error: `fake failure ${rule.status}` },
      rule.status === 429 || rule.status === 503 ? { "retry-after": "7" } : {},
    );
    return true;
  }
  if (rule.invalid) {
    send(res, 200, "<html>not json</html>");
    return true;
  }
  return false;
}
