/** Tables for the terminal, and an SVG chart of where each route's modelled latency goes. */
export interface RouteRow {
  route: string;
  server: "worker" | "conventional";
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  pgPerReq: number;
  redisPerReq: number;
  redisWritesPerReq: number;
  redisAfterPerReq: number;
  /** added by the model: network time the local run does not have */
  modelledNetworkMs: number;
  modelledP50: number;
  errors: number;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...cells.map((r) => line(r.map(String))),
  ].join("\n");
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "-";
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** One pair of bars per route (worker, conventional), each stacked: local p50 + modelled network. */
export function svgChart(rows: RouteRow[], title: string): string {
  const routes = [...new Set(rows.map((r) => r.route))];
  const max = Math.max(1, ...rows.map((r) => r.modelledP50));
  const left = 300,
    width = 520,
    barH = 14,
    gap = 8,
    top = 50;
  const scale = (ms: number) => (ms / max) * width;
  let y = top;
  const parts: string[] = [];
  for (const route of routes) {
    parts.push(`<text x="10" y="${y + barH + 4}" font-size="12">${esc(route)}</text>`);
    for (const server of ["worker", "conventional"] as const) {
      const r = rows.find((x) => x.route === route && x.server === server);
      if (!r) continue;
      const local = scale(r.p50),
        net = scale(r.modelledNetworkMs);
      parts.push(
        `<rect x="${left}" y="${y}" width="${local.toFixed(1)}" height="${barH}" fill="${server === "worker" ? "#1565c0" : "#6d4c41"}"/>`,
      );
      parts.push(
        `<rect x="${(left + local).toFixed(1)}" y="${y}" width="${net.toFixed(1)}" height="${barH}" fill="${server === "worker" ? "#90caf9" : "#bcaaa4"}"/>`,
      );
      parts.push(
        `<text x="${(left + local + net + 4).toFixed(1)}" y="${y + barH - 3}" font-size="10">${server} ${r.modelledP50.toFixed(1)} ms</text>`,
      );
      y += barH + 2;
    }
    y += gap;
  }
  const legend =
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<text x="10" y="38" font-size="11">dark: measured local p50 · light: modelled network (round trips × RTT)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 160}" height="${y + 10}" font-family="sans-serif">${legend}${parts.join("")}</svg>\n`;
}
