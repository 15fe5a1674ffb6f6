/** `npm run token -- marketing <email> [--admin]`: a fresh API key for the user with that email (created if needed). */
import type { DevTokenMaker } from "../../src/dev-token";
import { issueApiKey } from "../../src/core/secrets";
import { API_KEY_PREFIX } from "./auth";

export const devToken: DevTokenMaker = async ({ subject, admin, sql }) => {
  if (admin) throw new Error("marketing admins use the ADMIN_TOKEN from .dev.vars");
  const key = await issueApiKey(API_KEY_PREFIX);
  // A new key replaces the old one; a running Worker may serve the old one from Redis for up to a minute.
  await sql(
    `INSERT INTO marketing.users (email, api_key, api_key_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET api_key = EXCLUDED.api_key, api_key_hash = EXCLUDED.api_key_hash, updated_at = now()`,
    [subject, key.lookup, key.hash],
  );
  return key.key;
};
