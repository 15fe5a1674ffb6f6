/** The chat module (seed 002), mounted at /v1/chat: Supabase users, conversations and streamed chat, artifacts, agents, workflows, Stripe subscriptions. */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import * as artifactH from "./artifacts.handlers";
import * as artifactR from "./artifacts.routes";
import * as chatH from "./chat.handlers";
import * as chatR from "./chat.routes";
import * as convH from "./conversations.handlers";
import * as convR from "./conversations.routes";
import * as defH from "./definitions.handlers";
import * as defR from "./definitions.routes";
import * as instH from "./instances.handlers";
import * as instR from "./instances.routes";
import * as meH from "./me.handlers";
import * as meR from "./me.routes";
import * as toolH from "./tools.handlers";
import * as toolR from "./tools.routes";
import * as hookH from "./webhooks.handlers";
import * as hookR from "./webhooks.routes";
import * as wfH from "./workflows.handlers";
import * as wfR from "./workflows.routes";
import { chatJobs } from "./workflows.runner";
import { seedChat } from "./seed";
import { chatSweeps } from "./sweeps";

const router = createRouter()
  .openapi(meR.getMe, meH.getMe)
  .openapi(convR.createConversation, convH.createConversation)
  .openapi(convR.listConversations, convH.listConversations)
  .openapi(convR.getConversation, convH.getConversation)
  .openapi(convR.patchConversation, convH.patchConversation)
  .openapi(convR.deleteConversation, convH.deleteConversation)
  .openapi(convR.appendMessage, convH.appendMessage)
  .openapi(convR.listMessages, convH.listMessages)
  .openapi(chatR.chatTurn, chatH.chatTurn)
  .openapi(artifactR.createArtifact, artifactH.createArtifact)
  .openapi(artifactR.listArtifacts, artifactH.listArtifacts)
  .openapi(artifactR.getArtifact, artifactH.getArtifact)
  .openapi(artifactR.patchArtifact, artifactH.patchArtifact)
  .openapi(artifactR.deleteArtifact, artifactH.deleteArtifact)
  .openapi(toolR.listTools, toolH.listTools)
  .openapi(toolR.getTool, toolH.getTool)
  .openapi(toolR.createTool, toolH.createTool)
  .openapi(toolR.patchTool, toolH.patchTool)
  // the literal /public before /{id}
  .openapi(defR.listPublicDefinitions, defH.listPublicDefinitions)
  .openapi(defR.createDefinition, defH.createDefinition)
  .openapi(defR.listDefinitions, defH.listDefinitions)
  .openapi(defR.getDefinition, defH.getDefinition)
  .openapi(defR.patchDefinition, defH.patchDefinition)
  .openapi(defR.deleteDefinition, defH.deleteDefinition)
  .openapi(instR.createInstance, instH.createInstance)
  .openapi(instR.listInstances, instH.listInstances)
  .openapi(instR.getInstance, instH.getInstance)
  .openapi(instR.patchInstance, instH.patchInstance)
  .openapi(instR.pauseInstance, instH.pauseInstance)
  .openapi(instR.resumeInstance, instH.resumeInstance)
  .openapi(instR.archiveInstance, instH.archiveInstance)
  .openapi(wfR.startWorkflow, wfH.startWorkflow)
  .openapi(wfR.listWorkflows, wfH.listWorkflows)
  .openapi(wfR.getWorkflow, wfH.getWorkflow)
  .openapi(hookR.stripeWebhook, hookH.stripeWebhook);

export default defineModule({ name: "chat", router, jobs: chatJobs, sweeps: chatSweeps, seed: seedChat });
