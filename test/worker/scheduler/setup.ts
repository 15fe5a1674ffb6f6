/** Bindings of the scheduler suites: the HTTP target its jobs call, an LLM fake, the secret key and the URL-guard allowance for 127.0.0.1. */
import { randomBytes } from "node:crypto";
import { startChatCompletions } from "../../local/fakes/chat-completions.js";
import { startJobTarget } from "../../local/fakes/job-target.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const jobTarget = await startJobTarget();
  const llm = await startChatCompletions();
  return {
    bindings: {
      JOB_TARGET_URL: jobTarget.url,
      JOB_TARGET_CONTROL_URL: jobTarget.controlUrl,
      OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      SCHEDULER_SECRET_KEY: randomBytes(32).toString("base64"),
      SCHEDULER_LLM_BASE_URL: llm.url,
      SCHEDULER_LLM_CONTROL_URL: llm.controlUrl,
      SCHEDULER_LLM_API_KEY: "sk-scheduler-test",
    },
    close: async () => {
      await jobTarget.close();
      await llm.close();
    },
  };
};

export default setup;
