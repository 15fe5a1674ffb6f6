/** The outbound-URL guard: a table of URLs a user might supply, and what assertPublicUrl makes of each. */
import { describe, expect, it } from "vitest";
import { outboundAllowList } from "../../src/core/config";
import { assertPublicUrl } from "../../src/core/url-guard";
import { HttpProblem } from "../../src/core/problem";
import type { AppEnv } from "../../src/env";

const allowed = [
  "https://example.com/shop?x=1",
  "http://bridal.example.org:8080/",
  "https://93.184.216.34/",
  "https://[2606:4700:4700::1111]/",
  "https://xn--bcher-kva.example/",
];
const refused: [string, RegExp][] = [
  ["ftp://example.com/", /http or https/],
  ["file:///etc/passwd", /http or https/],
  ["javascript:alert(1)", /http or https/],
  ["gopher://example.com/", /http or https/],
  ["not a url", /valid absolute URL/],
  ["https://user:pass@example.com/", /credentials/],
  ["https://user@example.com/", /credentials/],
  ["http://127.0.0.1/", /private/],
  ["http://127.1/", /private/],
  ["http://2130706433/", /private/],
  ["http://0x7f000001/", /private/],
  ["http://0.0.0.0/", /private/],
  ["http://10.1.2.3/", /private/],
  ["http://172.16.0.1/", /private/],
  ["http://192.168.1.1/", /private/],
  ["http://100.64.0.1/", /private/],
  ["http://169.254.169.254/latest/meta-data/", /private/],
  ["http://224.0.0.1/", /private/],
  ["http://255.255.255.255/", /private/],
  ["http://[::1]/", /private/],
  ["http://[::]/", /private/],
  ["http://[fe80::1]/", /private/],
  ["http://[fd00:ec2::254]/", /private/],
  ["http://[fc00::1]/", /private/],
  ["http://[::ffff:127.0.0.1]/", /private/],
  ["http://[::ffff:169.254.169.254]/", /private/],
  ["http://[::ffff:10.0.0.1]/", /private/],
  ["http://[64:ff9b::a9fe:a9fe]/", /private/],
  ["http://[2002:7f00:1::]/", /private/],
  ["http://[ff02::1]/", /private/],
  ["http://localhost:8787/", /local host/],
  ["http://api.localhost/", /local host/],
  ["http://metadata.google.internal/", /local host/],
  ["http://printer.local/", /local host/],
  ["http://intranet/", /local host/],
];

describe("assertPublicUrl", () => {
  it.each(allowed)("lets %s through", (url) => {
    expect(assertPublicUrl(url).href).toBe(new URL(url).href);
  });

  it.each(refused)("refuses %s with 400", (url, why) => {
    let err: unknown;
    try {
      assertPublicUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpProblem);
    expect((err as HttpProblem).status).toBe(400);
    expect((err as HttpProblem).detail).toMatch(why);
    expect((err as HttpProblem).detail).not.toContain("pass");
  });

  it("lets hosts of the allow-list (OUTBOUND_ALLOW_HOSTS) through, and only those", () => {
    const allowHosts = outboundAllowList({ OUTBOUND_ALLOW_HOSTS: " 127.0.0.1, LocalHost " } as unknown as AppEnv);
    expect(allowHosts).toEqual(["127.0.0.1", "localhost"]);
    expect(assertPublicUrl("http://127.0.0.1:9999/x", { allowHosts }).port).toBe("9999");
    expect(assertPublicUrl("http://localhost/", { allowHosts }).hostname).toBe("localhost");
    expect(() => assertPublicUrl("http://10.0.0.1/", { allowHosts })).toThrow(HttpProblem);
    expect(() => assertPublicUrl("http://u:p@127.0.0.1/", { allowHosts })).toThrow(/credentials/);
  });
});
