/**
 * Starts the local stack for the workerd suites on free ports with a fresh, migrated
 * database, and hands its URLs to the Worker as bindings (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { startControl } from "../local/control.js";
import { startChatCompletions } from "../local/fakes/chat-completions.js";
import { startDressApi } from "../local/fakes/dress-api.js";
import { startStack } from "../local/stack.js";
import influencerSetup from "./influencer/setup.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBindings: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack({ database: "worker_tests", fresh: true });
  const control = await startControl(stack);
  // blog: fakes of the dress API and of an OpenAI-compatible chat-completions API
  const dressApi = await startDressApi();
  const chatApi = await startChatCompletions();
  const influencer = await influencerSetup();
  project.provide("workerBindings", {
    ...stack.bindings,
    CONTROL_URL: control.url,
    ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
    JWT_SECRET: "test-jwt-secret-0123456789abcdef",
    LOG_LEVEL: "warn",
    DRESS_API_URL: dressApi.url,
    DRESS_API_CONTROL_URL: dressApi.controlUrl,
    DRESS_API_TIMEOUT_MS: "1000",
    OPENROUTER_BASE_URL: chatApi.url,
    CHAT_API_CONTROL_URL: chatApi.controlUrl,
    // high enough for the suites; blog-rate-limit.test.ts lowers them per request
    BLOG_RATE_LIMIT: "100000",
    BLOG_LLM_RATE_LIMIT: "100000",
    ...influencer.bindings,
  });
  return async () => {
    await control.close();
    await dressApi.close();
    await chatApi.close();
    await influencer.close();
    await stack.stop();
  };
}
