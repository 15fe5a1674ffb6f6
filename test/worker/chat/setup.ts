/** Bindings of the chat suites: Supabase tokens are minted by the tests; the model is a chat-completions fake of its own. */
import { startChatCompletions } from "../../local/fakes/chat-completions.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const llm = await startChatCompletions();
  return {
    bindings: {
      SUPABASE_JWT_SECRET: "test-supabase-jwt-secret-0123456789abcdef",
      CHAT_LLM_BASE_URL: llm.url,
      CHAT_LLM_CONTROL_URL: llm.controlUrl,
      CHAT_LLM_API_KEY: "sk-chat-test",
      CHAT_LLM_MODEL: "fake/chat",
      STRIPE_WEBHOOK_SECRET: "whsec_test_0123456789abcdef",
      // high enough for the suites; chat-stream.test.ts lowers it per request
      CHAT_LLM_RATE_LIMIT: "100000",
    },
    close: () => llm.close(),
  };
};

export default setup;
