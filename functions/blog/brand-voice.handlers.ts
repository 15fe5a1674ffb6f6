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
  const res = await brandVoiceCache.analyseBrandVoice(cacheDeps(c), blogDb(c.env), blogConfig(c.env), url);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
