/** Who may call: a user's `mk_…` API key (users.api_key holds the lookup part, api_key_hash the secret's digest), or the admin token. */
import { eq } from "drizzle-orm";
import { apiKeyAuth } from "../../src/http/api-key";
import { marketingDb } from "./db";
import { users } from "./schema";

import { requireAdmin } from "../../src/http/auth";

export const API_KEY_PREFIX = "mk";
export const API_KEY_CACHE = "marketing:apikey";
export const API_KEY_TTL_SECONDS = 60;

export const userAuth = apiKeyAuth({
  prefix: API_KEY_PREFIX,
  cacheNamespace: API_KEY_CACHE,
  ttlSeconds: API_KEY_TTL_SECONDS,
  async find(c, lookup) {
    const [u] = await marketingDb(c.env)
      .select({ id: users.id, hash: users.apiKeyHash })
      .from(users)
      .where(eq(users.apiKey, lookup))
      .limit(1);
    return u ? { subject: u.id, hash: u.hash } : null;
  },
});

export const userSecurity = [{ apiKey: [] }];
export const adminSecurity = [{ adminToken: [] }];

/** Admin routes: the admin token; a user's valid key answers 403, any other bearer 401. */
export const adminAuth = requireAdmin({ auth: userAuth });
