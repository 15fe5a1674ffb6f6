/**
 * Every operation of /openapi.json, as the suites of issue 15 walk them: the route table is the only list,
 * so a route added by any module is covered (or fails a suite) without anyone naming it here.
 */
import { api } from "../helpers";

export interface Operation {
  /** `GET /v1/blog/dresses/{id}` */
  route: string;
  method: string;
  /** OpenAPI path with `{param}` placeholders */
  path: string;
  operationId: string;
  /** `/v1/<module>/…`, else the first tag (`platform` for /health) */
  module: string;
  /** security requirement names (`apiKey`, `bearer`, …); empty for public routes */
  security: string[];
  /** the raw OpenAPI operation object */
  op: Record<string, any>;
}

let cached: Promise<{ doc: any; operations: Operation[] }> | undefined;

/** The served document and its operations (fetched once per test file). */
export function loadOperations(): Promise<{ doc: any; operations: Operation[] }> {
  cached ??= (async () => {
    const doc = await (await api("/openapi.json")).json<any>();
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (!op || typeof op !== "object" || !op.operationId) continue;
        operations.push({
          route: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          operationId: op.operationId,
          module: path.startsWith("/v1/") ? path.split("/")[2]! : (op.tags?.[0] ?? "platform"),
          security: (op.security ?? doc.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s)),
          op,
        });
      }
    }
    return { doc, operations };
  })();
  return cached;
}

/** Fills `{param}` placeholders; unknown params get a syntactically valid id that names nothing. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? "00000000-0000-4000-8000-000000000000"));
}
