/**
 * Fault injection for the local stand-ins (Neon SQL-over-HTTP, Upstash REST): the dependency-fault suites set
 * rules through the test control plane (POST /faults {target, rules}) and the stand-in applies the first rule
 * whose `match` occurs in the request (`METHOD /path body`) before it does any work:
 * added latency, an error answer (at a rate), garbage, a refused connection, or a stall that never answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface FaultRule {
  /** substring of `METHOD /path body`; every request when absent */
  match?: string;
  /** delay before the request is handled (or before the fault below) */
  latencyMs?: number;
  /** answer this status instead of doing the work (default 503) … */
  status?: number;
  /** … for this share of matching requests (0–1, default 1 when `status` is set) */
  errorRate?: number;
  /** answer 200 with a body that is not JSON */
  garbage?: boolean;
  /** drop the connection without an answer (as a refused/reset connection looks to the client) */
  refuse?: boolean;
  /** never answer; the client's own timeout has to end the request */
  stall?: boolean;
  /** the rule applies to this many matching requests, then disappears */
  times?: number;
}

export type FaultOutcome = { kind: "none" } | { kind: "error"; status: number } | { kind: "garbage" } | { kind: "handled" };

export class Faults {
  private rules: FaultRule[] = [];
  private readonly stalled = new Set<ServerResponse>();
  /** requests that met a fault since the last reset */
  hits = 0;

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
  }

  /** Clears every rule and drops the requests still stalled (their clients have given up by then). */
  reset(): void {
    this.rules = [];
    this.hits = 0;
    for (const res of this.stalled) res.socket?.destroy();
    this.stalled.clear();
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  private take(subject: string): FaultRule | undefined {
    const i = this.rules.findIndex((r) => !r.match || subject.includes(r.match));
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    if (rule.times !== undefined && --rule.times <= 0) this.rules.splice(i, 1);
    return rule;
  }

  /**
   * Applies the matching rule. "handled" means the request is finished (refused or stalled) and must not be
   * answered; "error"/"garbage" ask the stand-in to answer in its own error format.
   */
  async apply(subject: string, req: IncomingMessage, res: ServerResponse): Promise<FaultOutcome> {
    if (this.rules.length === 0) return { kind: "none" };
    const rule = this.take(subject);
    if (!rule) return { kind: "none" };
    this.hits++;
    if (rule.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
    if (rule.refuse) {
      req.socket.destroy();
      return { kind: "handled" };
    }
    if (rule.stall) {
      this.stalled.add(res);
      res.once("close", () => this.stalled.delete(res));
      return { kind: "handled" };
    }
    if (rule.garbage) return { kind: "garbage" };
    if (rule.status !== undefined && Math.random() < (rule.errorRate ?? 1)) return { kind: "error", status: rule.status };
    return { kind: "none" };
  }
}
