/**
 * What `zod` resolves to in the deploy bundle (wrangler.toml `[alias]`; type checks and tests still see the real
 * package). @hono/zod-openapi hands the whole `z` namespace to `extendZodWithOpenApi(z)`, so the bundler keeps every
 * export of zod's namespace, among them `z.locales` (49 languages, ~230 KiB minified) and the JSON-Schema
 * converters, which this Worker never calls. This module is zod's own `zod/v4/classic/external.js` without those
 * exports, without `z.core` (it re-exports the locales again) and without the ahead-of-time compiler (`z.compile`,
 * `z.withParser`, `z.toZod`; ~30 KiB): same classes, same English messages (zod registers its `en` locale when the
 * first schema is built). Cut: 459 → 172 KiB of zod in the minified bundle, 363 → 310 KiB gzip in all (issue 16).
 */
import * as z from "./exports";

export * from "./exports";
export { z, z as default };
