/**
 * The app with the colo cache (src/cache/edge-cache.ts) turned on: the suites run the Worker with
 * EDGE_CACHE_SECONDS=0 (they test the layers behind it), these helpers call the same app and modules with it on.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { testEnv } from "./helpers";

const app = createApp();

/** One request to the app with the edge cache on; waits for what it stored (waitUntil) before answering. */
export async function edgeApi(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.request(`http://api.test${path}`, init, { ...testEnv, EDGE_CACHE_SECONDS: "60" }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Audit states for a public GET behind edgeCached(): `edge` (a colo-cache hit) and `edge-304` (a revalidation). */
export function edgeStates(path: () => Promise<string>) {
  const primed = async () => {
    const p = await path();
    const first = await edgeApi(p);
    await first.arrayBuffer();
    return { p, etag: first.headers.get("ETag") ?? "" };
  };
  return {
    edge: async () => {
      const { p } = await primed();
      return () => edgeApi(p);
    },
    "edge-304": async () => {
      const { p, etag } = await primed();
      return () => edgeApi(p, { headers: { "If-None-Match": etag } });
    },
  };
}
