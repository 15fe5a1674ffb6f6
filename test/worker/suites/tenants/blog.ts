/** Blog has no tenants: its id-bearing routes are a public catalogue, anonymous capability sessions, or admin. */
import type { TenantModule } from "./types";

export const blog: TenantModule = {
  module: "blog",
  seed: async () => {
    throw new Error("blog has no tenants");
  },
  cases: {},
  exempt: {
    "GET /v1/blog/dresses/{externalId}": "public dress catalogue (blog seed): no owner",
    "POST /v1/blog/sessions":
      "anonymous writing sessions (blog seed, no accounts): selectedDressIds name public catalogue entries, no tenant's objects",
    "GET /v1/blog/sessions/{id}": "anonymous session: the unguessable id (uuid v4) is the capability, no owner to isolate from",
    "PATCH /v1/blog/sessions/{id}": "anonymous session: the unguessable id is the capability (selectedDressIds: public catalogue)",
    "POST /v1/blog/sessions/{id}/generate": "anonymous session: the unguessable id is the capability",
    "PATCH /v1/blog/admin/agents/{agentId}": "admin only (ADMIN_TOKEN): agent model configuration",
    "GET /v1/blog/admin/settings/{key}": "admin only (ADMIN_TOKEN): app settings",
    "PUT /v1/blog/admin/settings/{key}": "admin only (ADMIN_TOKEN): app settings",
  },
};
