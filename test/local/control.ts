/**
 * Test-only control plane for the workerd suites (never used by the Worker itself):
 * the tests call it over HTTP to read round-trip counters, to arrange or check rows
 * directly in Postgres and keys directly in Redis, to stop or restart Redis, to freeze and thaw Postgres,
 * and to inject faults into the Neon and Upstash stand-ins (test/local/faults.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";
import { freePort } from "./ports.js";
import { RespPool, toJs } from "./resp.js";
import type { Stack } from "./stack.js";

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startControl(stack: Stack): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: stack.directUrl, max: 4 });
  const redis = stack.redis ? new RespPool({ port: stack.redis.port, max: 2 }) : null;
  const port = await freePort();
  const server = createServer(async (req, res) => {
    try {
      const route = `${req.method} ${req.url}`;
      switch (route) {
        case "GET /stats":
          return send(res, 200, {
            postgres: stack.neon.stats.requests,
            postgresMaxMs: stack.neon.stats.maxRequestMs,
            // on the request path: every Upstash request but the /multi-exec commits the app sends after its
            // response (src/cache/hot-round.ts commitAdmitted), which are counted on their own
            redis: (stack.upstash?.stats.requests ?? 0) - (stack.upstash?.stats.transactions ?? 0),
            redisWrites: (stack.upstash?.stats.writes ?? 0) - (stack.upstash?.stats.transactions ?? 0),
            redisAfterResponse: stack.upstash?.stats.transactions ?? 0,
          });
        case "POST /stats/reset":
          stack.neon.stats.reset();
          stack.upstash?.stats.reset();
          return send(res, 200, { ok: true });
        case "POST /sql": {
          const { query, params } = await readJson(req);
          const r = await pool.query({ text: query, values: params ?? [] });
          return send(res, 200, { rows: r.rows, rowCount: r.rowCount });
        }
        case "POST /redis/command": {
          // e.g. {"args":["GET","k"]} → {"result": …}; errors come back as {"error": "…"}
          if (!redis) return send(res, 409, { error: "no redis in this stack" });
          const { args } = await readJson(req);
          const out = toJs(await redis.send(args));
          return send(res, 200, out instanceof Error ? { error: out.message } : { result: out });
        }
        case "POST /faults": {
          // {"target":"postgres"|"redis","rules":[FaultRule…]} (test/local/faults.ts); replaces that target's rules
          const { target, rules } = await readJson(req);
          const faults = target === "postgres" ? stack.neon.faults : target === "redis" ? stack.upstash?.faults : undefined;
          if (!faults) return send(res, 409, { error: `no fault target ${target}` });
          faults.set(rules ?? []);
          return send(res, 200, { ok: true });
        }
        case "POST /faults/reset":
          stack.neon.faults.reset();
          stack.upstash?.faults.reset();
          return send(res, 200, { ok: true });
        case "GET /faults":
          return send(res, 200, { postgres: stack.neon.faults.hits, redis: stack.upstash?.faults.hits ?? 0 });
        case "POST /redis/stop":
          await stack.redis?.pause();
          return send(res, 200, { running: false });
        case "POST /redis/start":
          await stack.redis?.resume();
          return send(res, 200, { running: true });
        case "POST /postgres/stop":
          await stack.pg.pause();
          return send(res, 200, { running: false });
        case "POST /postgres/start":
          await stack.pg.resume();
          return send(res, 200, { running: true });
        default:
          return send(res, 404, { error: `no control route ${route}` });
      }
    } catch (err) {
      return send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await stack.pg.resume();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      redis?.close();
    },
  };
}
