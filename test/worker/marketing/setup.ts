/** Bindings of the marketing suites: its own fake of an OpenAI-compatible chat-completions API for the skill runner. */
import { startChatCompletions } from "../../local/fakes/chat-completions.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const chatApi = await startChatCompletions();
  return {
    bindings: {
      MARKETING_LLM_BASE_URL: chatApi.url,
      MARKETING_LLM_API_KEY: "sk-marketing-test",
      MARKETING_LLM_MODEL: "fake/marketing-writer",
      MARKETING_LLM_TIMEOUT_MS: "2000",
      MARKETING_CHAT_CONTROL_URL: chatApi.controlUrl,
    },
    close: () => chatApi.close(),
  };
};

export default setup;
