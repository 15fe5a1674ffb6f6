/**
 * The layering of src/ and the module boundary, checked in `npm test` (npm run lint:deps):
 *   core → nothing of ours · db, cache → core · cron, jobs → core, db, cache · http (the inbound edge) → core, db, cache
 *   app (src/*.ts: app, index, health, module, modules, registry, env) → everything · functions/<m> → src only, never another module.
 */
const lower = "^src/(core|db|cache|cron|jobs|http)/";
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-the-bottom",
      severity: "error",
      comment: "src/core imports nothing of ours but itself",
      from: { path: "^src/core/" },
      to: { path: "^(src|functions|test|drizzle|bench)/", pathNot: "^src/core/" },
    },
    {
      name: "db-cache-use-core-only",
      severity: "error",
      comment: "src/db and src/cache build on src/core only",
      from: { path: "^src/(db|cache)/" },
      to: { path: "^(src|functions)/", pathNot: ["^src/core/", "^src/$1/"] },
    },
    {
      name: "cron-jobs-below-http",
      severity: "error",
      comment: "src/cron and src/jobs use core, db and cache, never the inbound edge",
      from: { path: "^src/(cron|jobs)/" },
      to: { path: "^(src|functions)/", pathNot: ["^src/(core|db|cache)/", "^src/$1/"] },
    },
    {
      name: "http-is-the-inbound-edge",
      severity: "error",
      comment: "src/http uses core, db and cache",
      from: { path: "^src/http/" },
      to: { path: "^(src|functions)/", pathNot: "^src/(core|db|cache|http)/" },
    },
    {
      name: "platform-knows-no-module",
      severity: "error",
      comment: "only src/modules.ts imports a module",
      from: { path: "^src/", pathNot: "^src/modules\\.ts$" },
      to: { path: "^functions/" },
    },
    {
      name: "lower-layers-skip-the-app",
      severity: "error",
      comment: "the app files (src/*.ts) sit on top",
      from: { path: lower },
      to: { path: "^src/[^/]+\\.ts$" },
    },
    {
      name: "modules-use-src-only",
      severity: "error",
      comment: "a module imports the platform (src/) and itself",
      from: { path: "^functions/([^/]+)/" },
      to: { path: "^(test|drizzle|bench)/" },
    },
    {
      name: "no-module-imports-another",
      severity: "error",
      comment: "modules are independent",
      from: { path: "^functions/([^/]+)/" },
      to: { path: "^functions/", pathNot: "^functions/$1/" },
    },
    { name: "no-circular", severity: "error", from: { path: "^src/" }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
