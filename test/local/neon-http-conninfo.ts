/** The Neon-Connection-String header, checked in the proxy's order (neon proxy http_util.rs get_conn_info). */
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { TextDecoder } from "node:util";
import { SqlHttpError } from "./neon-http-errors.js";

export interface ConnInfo {
  user: string;
  password: Buffer;
  database: string;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function parseConnInfo(h: IncomingHttpHeaders): ConnInfo {
  const bad = (m: string) => new SqlHttpError(400, m);
  const raw = h["neon-connection-string"];
  if (typeof raw !== "string" || !/^[\t\x20-\x7e]*$/.test(raw)) throw bad("invalid header: neon-connection-string");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad(`invalid connection string: ${urlParseError(raw)}`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw bad("incorrect scheme");
  if (!url.pathname.startsWith("/")) throw bad("missing database name");
  const database = utf8(percentDecode(url.pathname.slice(1).split("/")[0] ?? ""));
  const user = utf8(percentDecode(url.username));
  if (user === "") throw bad("missing username");
  if (h.authorization !== undefined) throw bad("missing authentication credentials: required password");
  if (url.password === "") throw bad("missing authentication credentials: required password");
  const password = percentDecode(url.password);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "" || isIP(host) !== 0) throw bad("missing hostname");
  return { user, password, database };
}

function urlParseError(s: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return "relative URL without a base";
  const authority = /^[^:]+:\/\/([^/?#]*)/.exec(s)?.[1] ?? "";
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostPort)?.[1];
  if (port !== undefined && !(/^\d*$/.test(port) && Number(port) <= 65535)) return "invalid port number";
  return "invalid domain character";
}

function percentDecode(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  const out = Buffer.alloc(b.length);
  let n = 0;
  const hex = (c: number | undefined) => c !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(c));
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x25 && hex(b[i + 1]) && hex(b[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(b[i + 1]!, b[i + 2]!), 16);
      i += 2;
    } else {
      out[n++] = b[i]!;
    }
  }
  return out.subarray(0, n);
}

function utf8(b: Buffer): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    throw new SqlHttpError(400, "invalid username: invalid utf-8 sequence");
  }
}
