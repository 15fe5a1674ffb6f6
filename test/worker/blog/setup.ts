/** Bindings of the blog suites: fakes of the dress API, of an OpenAI-compatible chat-completions API and of a web store. */
import { startChatCompletions } from "../../local/fakes/chat-completions.js";
import { startDressApi } from "../../local/fakes/dress-api.js";
import { startStorePages } from "../../local/fakes/store-pages.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const dressApi = await startDressApi();
  const chatApi = await startChatCompletions();
  const storePages = await startStorePages();
  return {
    bindings: {
      DRESS_API_URL: dressApi.url,
      DRESS_API_CONTROL_URL: dressApi.controlUrl,
      DRESS_API_TIMEOUT_MS: "1000",
      OPENROUTER_BASE_URL: chatApi.url,
      // the fake store is on 127.0.0.1: the outbound-URL guard lets that host through (as the scheduler suites do)
      STORE_PAGES_URL: storePages.url,
      STORE_PAGES_CONTROL_URL: storePages.controlUrl,
      OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      BLOG_STORE_TIMEOUT_MS: "1500",
      CHAT_API_CONTROL_URL: chatApi.controlUrl,
      // the fake plays OpenRouter: Mastra-style `openrouter/…` ids lose their prefix, as they would at openrouter.ai
      LLM_MODEL_PREFIXES: "127.0.0.1=openrouter/",
      // high enough for the suites; http.test.ts lowers them per request
      BLOG_RATE_LIMIT: "100000",
      BLOG_LLM_RATE_LIMIT: "100000",
    },
    close: async () => {
      await dressApi.close();
      await chatApi.close();
      await storePages.close();
    },
  };
};

export default setup;
