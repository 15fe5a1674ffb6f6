/** Direct access to the stack (not through the Worker) for arranging bench data. */
import type { BenchContext } from "./context.js";

export async function redis(ctx: BenchContext, ...args: (string | number)[]): Promise<unknown> {
  const res = await fetch(`${ctx.stack.controlUrl}/redis/command`, { method: "POST", body: JSON.stringify({ args }) });
  return ((await res.json()) as { result?: unknown }).result;
}

/** `base` is a fake's control URL (…/__control). */
export async function fake(base: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(
    `${base}${route}`,
    body === undefined ? undefined : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
  );
  return res.json();
}
