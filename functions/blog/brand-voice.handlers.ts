import { HttpProblem } from "../../src/core/problem";
import { assertPublicUrl } from "../../src/core/url-guard";
import type { AppRouteHandler } from "../../src/http/router";
import * as brandVoiceCache from "./brand-voice.cache";
import type * as routes from "./brand-voice.routes";
import { blogConfig } from "./config";
import { cacheDeps } from "./context";
import { blogDb } from "./db";
import { invalidUrl, normalizeStoreUrl } from "./store-url";

export const analyseBrandVoice: AppRouteHandler<typeof routes.analyseBrandVoice> = async (c) => {
  const url = normalizeStoreUrl(c.req.valid("json").url);
  if (!url) throw invalidUrl("body.url");
  const cfg = blogConfig(c.env);
  // The store is fetched on a miss: a private, loopback or metadata address is refused before anything runs.
  try {
    assertPublicUrl(url, { allowHosts: cfg.store.allowHosts });
  } catch (err) {
    throw err instanceof HttpProblem ? invalidUrl("body.url", err.errors?.[0]?.message ?? "is not a public address") : err;
  }
  const res = await brandVoiceCache.analyseBrandVoice(cacheDeps(c), blogDb(c.env), cfg, url, c.env);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
