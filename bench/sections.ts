/** Bench sections beyond the route table (cache behaviour, sweep scaling), and the fake upstreams they need. */
import { startDressApi } from "../test/local/fakes/dress-api.js";
import type { BenchContext } from "./lib/context.js";
import { marketingRead } from "./scenarios/marketing.js";
import { auditSection } from "./sections/audit.js";
import { cacheSection } from "./sections/cache.js";
import { sweepSection } from "./sections/sweeps.js";
import { worldwideSection } from "./sections/worldwide.js";

export interface Fakes {
  bindings?: Record<string, string>;
  urls?: Record<string, string>;
  stop?: () => Promise<void>;
}

export const extraSections: {
  startFakes?: () => Promise<Fakes>;
  sections: Record<string, (ctx: BenchContext) => Promise<unknown>>;
} = {
  async startFakes() {
    const dressApi = await startDressApi();
    return {
      bindings: {
        DRESS_API_URL: dressApi.url,
        DRESS_API_TIMEOUT_MS: "2000",
        BLOG_RATE_LIMIT: "100000000",
        BLOG_LLM_RATE_LIMIT: "100000000",
      },
      urls: { dressApi: dressApi.url, dressApiControl: dressApi.controlUrl },
      stop: () => dressApi.close(),
    };
  },
  sections: {
    audit: auditSection,
    cache: cacheSection,
    sweeps: async (ctx) => sweepSection(ctx, await marketingRead(ctx)),
    worldwide: worldwideSection,
  },
};
