/** Entry of the child process started by stack-process.ts. */
import { startControl } from "./control.js";
import { stopAll } from "./cleanup.js";
import { startStack, type StackOptions } from "./stack.js";

async function main() {
  const opts = JSON.parse(process.argv[2] ?? "{}") as StackOptions;
  const stack = await startStack(opts);
  const control = await startControl(stack);
  process.on("message", async (m) => {
    if (m !== "stop") return;
    await control.close();
    await stack.stop();
    process.exit(0);
  });
  // The parent died without a word: don't outlive it.
  process.on("disconnect", () => {
    void control
      .close()
      .then(() => stack.stop())
      .finally(() => process.exit(0));
  });
  process.send!({ bindings: stack.bindings, directUrl: stack.directUrl, controlUrl: control.url, redisPort: stack.redis?.port ?? null });
}

main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});
