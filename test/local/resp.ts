/**
 * A small RESP2 client over node:net for the local stand-ins, tests and benchmarks.
 * Bulk strings stay raw Buffers so that binary values survive byte-exact.
 * Redis error replies are values (type "error"), never rejections: a promise
 * rejects only when the connection itself fails (RespConnectionError).
 */
import { connect, type Socket } from "node:net";

export type RespArg = string | Buffer | number;

export type Reply =
  | { type: "simple"; value: string }
  | { type: "error"; value: string }
  | { type: "int"; value: number; text: string }
  | { type: "bulk"; value: Buffer }
  | { type: "nil" }
  | { type: "array"; value: Reply[] };

export class RespConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "RespConnectionError";
  }
}

const NIL: Reply = { type: "nil" };
const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from("\r\n");

export function encodeCommand(args: readonly RespArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), "utf8");
    parts.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
  }
  return Buffer.concat(parts);
}

/** Serialises a reply back to RESP2 bytes (for Upstash-Response-Format: resp2). */
export function encodeReply(r: Reply): Buffer {
  switch (r.type) {
    case "simple":
      return Buffer.from(`+${r.value}\r\n`);
    case "error":
      return Buffer.from(`-${r.value}\r\n`);
    case "int":
      return Buffer.from(`:${r.text}\r\n`);
    case "nil":
      return Buffer.from("$-1\r\n");
    case "bulk":
      return Buffer.concat([Buffer.from(`$${r.value.length}\r\n`), r.value, CRLF]);
    case "array":
      return Buffer.concat([Buffer.from(`*${r.value.length}\r\n`), ...r.value.map(encodeReply)]);
  }
}

/** Plain JS view of a reply for tests: bulk → UTF-8 string, nil → null, error → Error instance. */
export function toJs(r: Reply): unknown {
  switch (r.type) {
    case "simple":
      return r.value;
    case "error":
      return new Error(r.value);
    case "int":
      return r.value;
    case "nil":
      return null;
    case "bulk":
      return r.value.toString("utf8");
    case "array":
      return r.value.map(toJs);
  }
}

/** Incremental RESP2 parser; large bulk strings are collected without re-scanning. */
export class ReplyParser {
  private buf: Buffer = EMPTY;
  private off = 0;
  private stack: { items: Reply[]; left: number }[] = [];
  private bulkLen = -1;
  private bulkChunks: Buffer[] = [];
  private bulkHave = 0;

  constructor(private readonly onReply: (r: Reply) => void) {}

  feed(chunk: Buffer): void {
    if (this.bulkLen >= 0) {
      this.bulkChunks.push(chunk);
      this.bulkHave += chunk.length;
      if (this.bulkHave < this.bulkLen + 2) return;
      const all = Buffer.concat(this.bulkChunks);
      const value = all.subarray(0, this.bulkLen);
      this.buf = all.subarray(this.bulkLen + 2);
      this.off = 0;
      this.bulkLen = -1;
      this.bulkChunks = [];
      this.bulkHave = 0;
      this.emit({ type: "bulk", value });
    } else if (this.off < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.off), chunk]);
      this.off = 0;
    } else {
      this.buf = chunk;
      this.off = 0;
    }
    this.parse();
  }

  private parse(): void {
    const buf = this.buf;
    while (this.off < buf.length) {
      const cr = buf.indexOf(13, this.off + 1);
      if (cr < 0 || cr + 1 >= buf.length) return;
      const type = buf[this.off];
      const line = buf.toString("utf8", this.off + 1, cr);
      const next = cr + 2;
      switch (type) {
        case 43: // +
          this.off = next;
          this.emit({ type: "simple", value: line });
          break;
        case 45: // -
          this.off = next;
          this.emit({ type: "error", value: line });
          break;
        case 58: // :
          this.off = next;
          this.emit({ type: "int", value: Number(line), text: line });
          break;
        case 36: {
          // $
          const n = Number(line);
          if (n < 0) {
            this.off = next;
            this.emit(NIL);
            break;
          }
          if (buf.length - next >= n + 2) {
            this.off = next + n + 2;
            this.emit({ type: "bulk", value: buf.subarray(next, next + n) });
            break;
          }
          this.bulkLen = n;
          this.bulkChunks = [buf.subarray(next)];
          this.bulkHave = buf.length - next;
          this.buf = EMPTY;
          this.off = 0;
          return;
        }
        case 42: {
          // *
          const n = Number(line);
          this.off = next;
          if (n < 0) this.emit(NIL);
          else if (n === 0) this.emit({ type: "array", value: [] });
          else this.stack.push({ items: [], left: n });
          break;
        }
        default:
          throw new RespConnectionError(`protocol error: unexpected byte ${type} from redis`);
      }
    }
  }

  private emit(r: Reply): void {
    let reply = r;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        this.onReply(reply);
        return;
      }
      top.items.push(reply);
      if (--top.left > 0) return;
      this.stack.pop();
      reply = { type: "array", value: top.items };
    }
  }
}

export interface ConnectOptions {
  port: number;
  host?: string;
  connectTimeoutMs?: number;
}

type Pending = (err: Error | null, r?: Reply) => void;

/** One socket; commands are pipelined and replies matched in order. */
export class RespConnection {
  private pending: Pending[] = [];
  private head = 0;
  private failure: RespConnectionError | null = null;
  private closeListeners: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    const parser = new ReplyParser((r) => this.settle(null, r));
    socket.on("data", (chunk: Buffer) => {
      try {
        parser.feed(chunk);
      } catch (e) {
        this.fail(e instanceof RespConnectionError ? e : new RespConnectionError(String(e)));
      }
    });
    socket.on("error", (e: NodeJS.ErrnoException) => this.fail(new RespConnectionError(`redis connection error: ${e.message}`, e.code)));
    socket.on("close", () => this.fail(new RespConnectionError("redis connection closed", "ECONNRESET")));
  }

  static open(opts: ConnectOptions): Promise<RespConnection> {
    const host = opts.host ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      const socket = connect({ port: opts.port, host, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RespConnectionError(`unable to connect to redis at ${host}:${opts.port}: timeout`, "ETIMEDOUT"));
      }, opts.connectTimeoutMs ?? 2000);
      socket.once("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new RespConnectionError(`unable to connect to redis at ${host}:${opts.port}: ${e.code ?? e.message}`, e.code));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new RespConnection(socket));
      });
    });
  }

  get broken(): boolean {
    return this.failure !== null || this.socket.destroyed || !this.socket.writable;
  }

  get inFlight(): number {
    return this.pending.length - this.head;
  }

  onClose(fn: () => void): void {
    if (this.failure) fn();
    else this.closeListeners.push(fn);
  }

  send(args: readonly RespArg[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.push((err, r) => (err ? reject(err) : resolve(r!)));
      this.socket.write(encodeCommand(args));
    });
  }

  /** Writes all commands at once; resolves with one reply per command. */
  sendMany(cmds: readonly (readonly RespArg[])[]): Promise<Reply[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (cmds.length === 0) return resolve([]);
      const replies: Reply[] = [];
      let failed = false;
      const cb: Pending = (err, r) => {
        if (failed) return;
        if (err) {
          failed = true;
          return reject(err);
        }
        replies.push(r!);
        if (replies.length === cmds.length) resolve(replies);
      };
      for (let i = 0; i < cmds.length; i++) this.pending.push(cb);
      this.socket.write(Buffer.concat(cmds.map(encodeCommand)));
    });
  }

  close(): void {
    this.fail(new RespConnectionError("redis connection closed by client", "ECONNRESET"));
  }

  private settle(err: Error | null, r?: Reply): void {
    const cb = this.pending[this.head];
    if (!cb) {
      this.fail(new RespConnectionError("protocol error: reply without a command"));
      return;
    }
    this.pending[this.head++] = undefined as unknown as Pending;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    cb(err, r);
  }

  private fail(e: RespConnectionError): void {
    if (this.failure) return;
    this.failure = e;
    this.socket.destroy();
    const waiting = this.pending.slice(this.head);
    this.pending = [];
    this.head = 0;
    for (const cb of waiting) cb(e);
    for (const fn of this.closeListeners.splice(0)) fn();
  }
}

export interface PoolOptions extends ConnectOptions {
  /** Connections open at once (idle + lent); further acquires wait. */
  max?: number;
}

/** Lends whole connections, so per-connection state never crosses borrowers. */
export class RespPool {
  private idle: RespConnection[] = [];
  private open = 0;
  private waiters: { resolve: (c: RespConnection) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(private readonly opts: PoolOptions) {}

  async acquire(): Promise<RespConnection> {
    if (this.closed) throw new RespConnectionError("pool is closed");
    for (;;) {
      const c = this.idle.pop();
      if (!c) break;
      if (!c.broken) return c;
    }
    if (this.open >= (this.opts.max ?? 64)) {
      return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
    this.open++;
    try {
      const c = await RespConnection.open(this.opts);
      c.onClose(() => this.forget(c));
      return c;
    } catch (e) {
      this.open--;
      this.wakeNext();
      throw e;
    }
  }

  /** Returns a connection; a broken one (or reusable=false) is closed instead. */
  release(c: RespConnection, reusable = true): void {
    if (!reusable || c.broken || this.closed || c.inFlight > 0) {
      c.close();
      return;
    }
    const w = this.waiters.shift();
    if (w) w.resolve(c);
    else this.idle.push(c);
  }

  async use<T>(fn: (c: RespConnection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    let ok = false;
    try {
      const out = await fn(c);
      ok = true;
      return out;
    } finally {
      this.release(c, ok);
    }
  }

  send(args: readonly RespArg[]): Promise<Reply> {
    return this.use((c) => c.send(args));
  }

  sendMany(cmds: readonly (readonly RespArg[])[]): Promise<Reply[]> {
    return this.use((c) => c.sendMany(cmds));
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.close();
    for (const w of this.waiters.splice(0)) w.reject(new RespConnectionError("pool is closed"));
  }

  private forget(c: RespConnection): void {
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    this.open--;
    this.wakeNext();
  }

  private wakeNext(): void {
    const w = this.waiters.shift();
    if (!w) return;
    this.acquire().then(w.resolve, w.reject);
  }
}
