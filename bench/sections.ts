/** Bench sections beyond the route table (cache behaviour, sweep scaling), and the fake upstreams they need. */
import type { BenchContext } from "./lib/context.js";

export interface Fakes {
  bindings?: Record<string, string>;
  urls?: Record<string, string>;
  stop?: () => Promise<void>;
}

export const extraSections: {
  startFakes?: () => Promise<Fakes>;
  sections: Record<string, (ctx: BenchContext) => Promise<unknown>>;
} = { sections: {} };
