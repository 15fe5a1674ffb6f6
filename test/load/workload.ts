/**
 * The mixed workload of issue 15 §5 ("load with nothing lost"), shared by `npm run load` (autocannon against the
 * deploy bundle in workerd, bench/load.ts) and the small run in `npm test` (test/worker/suites/load.test.ts).
 *
 * Across marketing (clients, runs and their status moves), chat (conversations) and blog (public sessions):
 * reads, cache hits, creates with an Idempotency-Key, status transitions (legal and illegal), and client retries
 * of earlier creates with the same key. Every create carries the load's tag and its key in a text field, so that
 * afterwards `verify` can match each row to the answers: every 201 has exactly one row, no row lacks its 201,
 * a retried key never made a second row, no run has a status that no answer confirmed, and nothing answered 5xx.
 * Pure fetch + Web Crypto: it runs in Node and in workerd alike.
 */
import { SignJWT } from "jose";

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  text: string;
}

export type Send = (req: LoadRequest) => Promise<Answer>;
export type Sql = (query: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Planned extends LoadRequest {
  op: string;
  onAnswer(status: number, text: string): void;
}

type Kind = "client" | "run" | "conversation" | "session";

interface Create {
  kind: Kind;
  key: string;
  req: LoadRequest;
  /** ids of the 201 answers to this key (all equal when nothing is duplicated) */
  ids: string[];
  /** the last answer's status (0: none yet) */
  last: number;
}

interface Principals {
  marketing: { key: string; userId: string }[];
  chat: { token: string; userId: string }[];
}

export interface LoadReport {
  requests: number;
  byStatus: Record<string, number>;
  created: number;
  rows: number;
  /** 201s without their row */
  lost: number;
  /** rows whose key never got a 201 */
  orphans: number;
  /** keys with more than one row, or 201s naming different ids */
  duplicates: number;
  /** runs in a status no answer confirmed */
  illegal: number;
  fiveXx: number;
  /** keys still without a final answer after the drain */
  unresolved: number;
  problems: string[];
}

const RUN_MOVES = ["start", "complete", "fail", "cancel"] as const;
const MOVE_TO: Record<(typeof RUN_MOVES)[number], string> = {
  start: "running",
  complete: "completed",
  fail: "failed",
  cancel: "cancelled",
};
const MOVE_BODY: Record<(typeof RUN_MOVES)[number], unknown> = {
  start: undefined,
  complete: { tokensInput: 10, tokensOutput: 20 },
  fail: { errorMessage: "load" },
  cancel: undefined,
};

/** No answer yet, in flight (409), rate limited or failed: a client tries again with the same key. */
const retryable = (status: number) => status === 0 || status === 409 || status === 429 || status >= 500;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const idOf = (text: string): string | undefined => {
  try {
    const v = JSON.parse(text) as { id?: unknown };
    return typeof v.id === "string" ? v.id : undefined;
  } catch {
    return undefined;
  }
};

/** Creates the principals through the API (and a signed token for chat), and the skill the runs use. */
export async function setupPrincipals(
  send: Send,
  opts: { adminToken: string; chatJwtSecret: string; users?: number; tag: string },
): Promise<Principals> {
  const admin = { Authorization: `Bearer ${opts.adminToken}`, "Content-Type": "application/json" };
  const skill = await send({
    method: "PUT",
    path: `/v1/marketing/skills/${opts.tag}`,
    headers: admin,
    body: JSON.stringify({ description: "load", type: "simple", s3Key: `skills/${opts.tag}/`, triggerKeywords: ["load"] }),
  });
  if (skill.status >= 300) throw new Error(`skill: ${skill.status} ${skill.text}`);
  const p: Principals = { marketing: [], chat: [] };
  for (let i = 0; i < (opts.users ?? 3); i++) {
    const res = await send({ method: "POST", path: "/v1/marketing/users", headers: admin, body: "{}" });
    if (res.status !== 201) throw new Error(`marketing user: ${res.status} ${res.text}`);
    const out = JSON.parse(res.text) as { apiKey: string; user: { id: string } };
    p.marketing.push({ key: out.apiKey, userId: out.user.id });
    const userId = crypto.randomUUID();
    const token = await new SignJWT({ email: `${userId.slice(0, 8)}@example.com`, role: "authenticated" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setAudience("authenticated")
      .setIssuedAt()
      .setExpirationTime("2h")
      .sign(new TextEncoder().encode(opts.chatJwtSecret));
    p.chat.push({ token, userId });
  }
  return p;
}

export class Workload {
  private readonly creates = new Map<string, Create>();
  private readonly createList: Create[] = [];
  /** run id → statuses confirmed by a 200 answer to a move */
  private readonly runMoves = new Map<string, Set<string>>();
  private readonly byStatus: Record<string, number> = {};
  private requests = 0;
  private seq = 0;

  constructor(
    private readonly p: Principals,
    readonly tag: string,
  ) {}

  private answered(status: number): void {
    this.requests++;
    const k = status >= 500 ? String(status) : `${Math.floor(status / 100)}xx`;
    this.byStatus[k] = (this.byStatus[k] ?? 0) + 1;
  }

  private created(kind: Kind, path: string, headers: Record<string, string>, body: (key: string) => unknown): Planned {
    const key = `${this.tag}-${++this.seq}-${crypto.randomUUID().slice(0, 8)}`;
    const req: LoadRequest = {
      method: "POST",
      path,
      headers: { ...headers, "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(body(key)),
    };
    const c: Create = { kind, key, req, ids: [], last: 0 };
    this.creates.set(key, c);
    this.createList.push(c);
    return this.plan(`create ${kind}`, req, (status, text) => this.onCreate(c, status, text));
  }

  private onCreate(c: Create, status: number, text: string): void {
    c.last = status;
    if (status === 201) {
      const id = idOf(text);
      if (id) c.ids.push(id);
    }
  }

  private plan(op: string, req: LoadRequest, then?: (status: number, text: string) => void): Planned {
    return {
      op,
      ...req,
      onAnswer: (status, text) => {
        this.answered(status);
        then?.(status, text);
      },
    };
  }

  private someCreate(kind: Kind): Create | undefined {
    for (let i = 0; i < 4; i++) {
      const c = this.createList[Math.floor(Math.random() * this.createList.length)];
      if (c && c.kind === kind && c.ids.length > 0) return c;
    }
    return undefined;
  }

  /** The next request of the mix. */
  next(): Planned {
    const r = Math.random();
    const m = pick(this.p.marketing);
    const mh = { Authorization: `Bearer ${m.key}` };
    const ch = pick(this.p.chat);
    const chh = { Authorization: `Bearer ${ch.token}` };
    const ownerOf = (c: Create) => ({ Authorization: c.req.headers.Authorization! });
    if (r < 0.12) return this.created("client", "/v1/marketing/clients", mh, (k) => ({ name: `load ${k}`, slug: k.toLowerCase() }));
    if (r < 0.24) {
      return this.created("run", "/v1/marketing/runs", mh, (k) => ({ skill: this.tag, userMessage: `load ${k}` }));
    }
    if (r < 0.36) {
      const run = this.someCreate("run");
      if (run) {
        const move = pick(RUN_MOVES);
        const id = run.ids[0]!;
        const body = MOVE_BODY[move];
        const req: LoadRequest = {
          method: "POST",
          path: `/v1/marketing/runs/${id}/${move}`,
          headers: { ...ownerOf(run), ...(body ? { "Content-Type": "application/json" } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        };
        return this.plan(`run ${move}`, req, (status) => {
          if (status === 200) {
            const seen = this.runMoves.get(id) ?? new Set<string>();
            seen.add(MOVE_TO[move]);
            this.runMoves.set(id, seen);
          }
        });
      }
    }
    if (r < 0.5) {
      const client = this.someCreate("client");
      if (client)
        return this.plan("read client", { method: "GET", path: `/v1/marketing/clients/${client.ids[0]}`, headers: ownerOf(client) });
    }
    if (r < 0.55) return this.plan("list runs", { method: "GET", path: "/v1/marketing/runs?pageSize=10", headers: mh });
    if (r < 0.65) return this.created("conversation", "/v1/chat/conversations", chh, (k) => ({ title: `load ${k}` }));
    if (r < 0.74) {
      const conv = this.someCreate("conversation");
      if (conv)
        return this.plan("read conversation", { method: "GET", path: `/v1/chat/conversations/${conv.ids[0]}`, headers: ownerOf(conv) });
    }
    if (r < 0.78) return this.plan("list conversations", { method: "GET", path: "/v1/chat/conversations", headers: chh });
    if (r < 0.86) return this.created("session", "/v1/blog/sessions", {}, (k) => ({ additionalInstructions: `load ${k}` }));
    if (r < 0.92) {
      const s = this.someCreate("session");
      if (s) return this.plan("read session", { method: "GET", path: `/v1/blog/sessions/${s.ids[0]}`, headers: {} });
    }
    // A client retry: the same create again, with its key (as after a timeout or a lost answer).
    const earlier = this.createList.length ? pick(this.createList) : undefined;
    if (earlier) return this.plan(`retry ${earlier.kind}`, earlier.req, (status, text) => this.onCreate(earlier, status, text));
    return this.plan("list runs", { method: "GET", path: "/v1/marketing/runs?pageSize=10", headers: mh });
  }

  /**
   * What a client does after the run: every create still without a final answer (no answer, a timeout, or
   * 409 "in flight") is retried with its key until it gets one.
   */
  async drain(send: Send): Promise<void> {
    for (const c of this.createList) {
      // up to ~30 s: a marker whose SET reached Redis after its client gave up stays "in flight" until it expires
      for (let attempt = 0; attempt < 60 && retryable(c.last) && c.ids.length === 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
        const a = await send(c.req);
        this.answered(a.status);
        this.onCreate(c, a.status, a.text);
      }
    }
  }

  /** Reads the rows back and checks them against every answer. */
  async verify(sql: Sql): Promise<LoadReport> {
    const like = `load ${this.tag}-%`;
    const rows: { kind: Kind; id: string; label: string; status?: string }[] = [];
    const add = (kind: Kind, list: Record<string, unknown>[]) =>
      rows.push(...list.map((r) => ({ kind, id: String(r.id), label: String(r.label), status: r.status as string | undefined })));
    add("client", await sql("SELECT id, name AS label FROM marketing.clients WHERE name LIKE $1", [like]));
    add("run", await sql("SELECT id, user_message AS label, status FROM marketing.runs WHERE user_message LIKE $1", [like]));
    add("conversation", await sql("SELECT id, title AS label FROM chat.conversations WHERE title LIKE $1", [like]));
    add(
      "session",
      await sql("SELECT id, additional_instructions AS label FROM blog.blog_sessions WHERE additional_instructions LIKE $1", [like]),
    );

    const problems: string[] = [];
    const note = (s: string) => problems.length < 20 && problems.push(s);
    const rowsByKey = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = r.label.slice("load ".length);
      rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), r]);
    }
    let lost = 0;
    let orphans = 0;
    let duplicates = 0;
    let illegal = 0;
    let unresolved = 0;
    let created = 0;
    for (const c of this.createList) {
      const found = rowsByKey.get(c.key) ?? [];
      const ids = new Set(c.ids);
      if (ids.size > 0) created++;
      if (ids.size > 1) {
        duplicates++;
        note(`${c.kind} ${c.key}: 201s named ${[...ids].join(", ")}`);
      }
      if (found.length > 1) {
        duplicates++;
        note(`${c.kind} ${c.key}: ${found.length} rows`);
      }
      if (ids.size > 0 && !found.some((r) => ids.has(r.id))) {
        lost++;
        note(`${c.kind} ${c.key}: 201 ${[...ids][0]} has no row`);
      }
      if (ids.size === 0 && found.length > 0) {
        orphans++;
        note(`${c.kind} ${c.key}: row ${found[0]!.id} without a 201 (last answer ${c.last})`);
      }
      if (ids.size === 0 && retryable(c.last)) {
        unresolved++;
        note(`${c.kind} ${c.key}: still ${c.last || "unanswered"} after the drain`);
      }
    }
    for (const [key, list] of rowsByKey) {
      if (!this.creates.has(key)) {
        orphans += list.length;
        note(`row ${list[0]!.id} with an unknown key ${key}`);
      }
    }
    for (const r of rows) {
      if (r.kind !== "run") continue;
      const confirmed = this.runMoves.get(r.id);
      // queued: no move may have been confirmed; anything else: a move to exactly that status was answered 200
      const ok = r.status === "queued" ? !confirmed : (confirmed?.has(r.status ?? "") ?? false);
      if (!ok) {
        illegal++;
        note(`run ${r.id}: status ${r.status}, confirmed ${[...(confirmed ?? [])].join(",") || "none"}`);
      }
    }
    const fiveXx = Object.entries(this.byStatus)
      .filter(([k]) => k.startsWith("5"))
      .reduce((n, [, v]) => n + v, 0);
    return {
      requests: this.requests,
      byStatus: { ...this.byStatus },
      created,
      rows: rows.length,
      lost,
      orphans,
      duplicates,
      illegal,
      fiveXx,
      unresolved,
      problems,
    };
  }
}
