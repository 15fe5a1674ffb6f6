import type { AppRouteHandler } from "../../src/http/router";
import { analyseBrandVoice } from "./brand-voice.cache";
import type { analyseBrandVoiceRoute } from "./brand-voice.routes";
import { blogConfig } from "./config";
import { blogDb, cacheDeps } from "./context";
import { invalidUrl, normalizeStoreUrl } from "./store-url";

export const analyseBrandVoiceHandler: AppRouteHandler<typeof analyseBrandVoiceRoute> = async (c) => {
  const url = normalizeStoreUrl(c.req.valid("json").url);
  if (!url) throw invalidUrl("body.url");
  const res = await analyseBrandVoice(cacheDeps(c), blogDb(c), blogConfig(c.env), url);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
