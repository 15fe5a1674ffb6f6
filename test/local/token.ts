/**
 * `npm run token -- <module> <subject> [--admin]`: prints a bearer token that the running `npm run dev` accepts
 * for that module, made by the module's `functions/<module>/dev-token.ts` (see src/dev-token.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import type { DevTokenMaker } from "../../src/dev-token.js";
import { DEV_KEYS_DIR, DEV_STACK_FILE, readDevVars } from "./dev-vars.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** `cwd` holds .dev.vars and .local/ (the repo when run by npm). */
export async function makeDevToken(module: string, subject: string, admin: boolean, opts: { cwd?: string } = {}): Promise<string> {
  const cwd = opts.cwd ?? process.cwd();
  if (!/^[a-z][a-z0-9-]*$/.test(module)) throw new Error(`not a module name: ${module}`);
  const hook = path.join(repo, "functions", module, "dev-token.ts");
  if (!existsSync(hook)) throw new Error(`functions/${module}/dev-token.ts does not exist: that module has no dev token maker`);
  const stackFile = path.join(cwd, DEV_STACK_FILE);
  if (!existsSync(stackFile)) throw new Error("no dev stack found: start `npm run dev` first");
  const { directUrl } = JSON.parse(readFileSync(stackFile, "utf8")) as { directUrl: string };
  const { devToken } = (await import(pathToFileURL(hook).href)) as { devToken: DevTokenMaker };
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    return await devToken({
      subject,
      admin,
      vars: readDevVars(path.join(cwd, ".dev.vars")),
      sql: async (query, params = []) => (await client.query(query, params)).rows,
      devKey: (name) => readFileSync(path.join(cwd, DEV_KEYS_DIR, path.basename(name)), "utf8"),
    });
  } finally {
    await client.end();
  }
}

const isMain = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isMain) {
  const args = process.argv.slice(2);
  const admin = args.includes("--admin");
  const [module, subject] = args.filter((a) => a !== "--admin");
  if (!module || !subject) {
    console.error("usage: npm run token -- <module> <subject> [--admin]   e.g. npm run token -- chat kim@example.com");
    process.exit(2);
  }
  makeDevToken(module, subject, admin).then(
    (token) => console.log(token),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
