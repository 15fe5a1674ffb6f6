/**
 * The outbound-URL guard for any URL a user supplies: http/https only, no credentials, no IP literal
 * outside public unicast space (private, loopback, link-local incl. cloud metadata 169.254.169.254 and
 * fd00:ec2::254, CGNAT, multicast, reserved, IPv4-mapped/NAT64/6to4/Teredo forms of those), and no
 * local-only names (localhost, *.local, *.internal). Range checks come from ipaddr.js. A host name is
 * not resolved here (Workers have no DNS API): that is the platform's fetch to enforce.
 * `allowHosts` (env OUTBOUND_ALLOW_HOSTS via outboundAllowList) lets exact hosts through, e.g. 127.0.0.1 in tests.
 */
import ipaddr from "ipaddr.js";
import { HttpProblem, problemTypes } from "./problem";

/** 400 naming the problem, not echoing the URL. */
const badRequestUrl = (why: string) =>
  new HttpProblem({ status: 400, type: problemTypes.validation, detail: `The URL ${why}.`, errors: [{ path: "url", message: why }] });

const LOCAL_NAMES = /^(localhost|.*\.localhost|.*\.local|.*\.internal|.*\.localdomain|metadata)$/i;

function isPublicIp(host: string): boolean {
  let addr = ipaddr.parse(host);
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) addr = v6.toIPv4Address();
  }
  return addr.range() === "unicast";
}

export function assertPublicUrl(raw: string, opts: { allowHosts?: string[] } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequestUrl("is not a valid absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequestUrl("must use http or https");
  if (url.username || url.password) throw badRequestUrl("must not contain credentials");
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (opts.allowHosts?.includes(host)) return url;
  if (!host) throw badRequestUrl("has no host");
  if (ipaddr.isValid(host)) {
    if (!isPublicIp(host)) throw badRequestUrl("points to a private, loopback, link-local or reserved address");
    return url;
  }
  if (LOCAL_NAMES.test(host) || !host.includes(".")) throw badRequestUrl("names a local host");
  return url;
}
