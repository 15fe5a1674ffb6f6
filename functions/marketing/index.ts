/** The marketing module (seed 000), mounted at /v1/marketing: users and API keys, channels, clients, skills, their files in R2, runs, outputs in R2, feedback. */
import { createRouter } from "../../src/http/router";
import { defineModule } from "../../src/module";
import * as channelH from "./channels.handlers";
import * as channelR from "./channels.routes";
import * as clientH from "./clients.handlers";
import * as clientR from "./clients.routes";
import * as fileH from "./files.handlers";
import * as fileR from "./files.routes";
import * as feedbackH from "./feedback.handlers";
import * as feedbackR from "./feedback.routes";
import * as outputH from "./outputs.handlers";
import * as outputR from "./outputs.routes";
import * as runH from "./runs.handlers";
import * as runR from "./runs.routes";
import { marketingJobs } from "./jobs";
import { seedMarketing } from "./seed";
import { marketingSweeps } from "./sweeps";
import * as skillH from "./skills.handlers";
import * as skillR from "./skills.routes";
import * as userH from "./users.handlers";
import * as userR from "./users.routes";

const router = createRouter()
  .openapi(userR.createUser, userH.createUser)
  .openapi(userR.getUserByEmail, userH.getUserByEmail)
  .openapi(userR.getUser, userH.getUser)
  .openapi(userR.getMe, userH.getMe)
  .openapi(userR.rotateKey, userH.rotateKey)
  .openapi(channelR.createLinkCode, channelH.createLinkCode)
  .openapi(channelR.linkChannel, channelH.linkChannel)
  .openapi(channelR.getChannel, channelH.getChannel)
  .openapi(channelR.unlinkChannel, channelH.unlinkChannel)
  .openapi(channelR.lookupChannel, channelH.lookupChannel)
  .openapi(clientR.createClient, clientH.createClient)
  .openapi(clientR.listClients, clientH.listClients)
  .openapi(clientR.getClientBySlug, clientH.getClientBySlug)
  .openapi(clientR.getClient, clientH.getClient)
  .openapi(clientR.patchClient, clientH.patchClient)
  .openapi(clientR.deleteClient, clientH.deleteClient)
  .openapi(fileR.putClientFile, fileH.putClientFile)
  .openapi(fileR.listClientFiles, fileH.listClientFiles)
  .openapi(fileR.getClientFile, fileH.getClientFile)
  .openapi(fileR.deleteClientFile, fileH.deleteClientFile)
  // /skills/match before /skills/{name}: both are fixed segments vs a parameter, but keep the literal first.
  .openapi(skillR.matchSkills, skillH.matchSkills)
  .openapi(skillR.listSkills, skillH.listSkills)
  .openapi(skillR.getSkill, skillH.getSkill)
  .openapi(skillR.upsertSkill, skillH.upsertSkill)
  .openapi(fileR.putSkillFile, fileH.putSkillFile)
  .openapi(fileR.listSkillFiles, fileH.listSkillFiles)
  .openapi(fileR.getSkillFile, fileH.getSkillFile)
  .openapi(fileR.deleteSkillFile, fileH.deleteSkillFile)
  .openapi(feedbackR.feedbackSummary, feedbackH.feedbackSummary)
  .openapi(runR.createRun, runH.createRun)
  .openapi(runR.listRuns, runH.listRuns)
  .openapi(runR.getRun, runH.getRun)
  .openapi(runR.startRun, runH.startRun)
  .openapi(runR.completeRun, runH.completeRun)
  .openapi(runR.failRun, runH.failRun)
  .openapi(runR.cancelRun, runH.cancelRun)
  .openapi(runR.executeRun, runH.executeRun)
  .openapi(outputR.createOutput, outputH.createOutput)
  .openapi(outputR.getOutputByKey, outputH.getOutputByKey)
  .openapi(outputR.getOutput, outputH.getOutput)
  .openapi(outputR.deleteOutput, outputH.deleteOutput)
  .openapi(outputR.getOutputContent, outputH.getOutputContent)
  .openapi(feedbackR.createFeedback, feedbackH.createFeedback)
  .openapi(feedbackR.getFeedback, feedbackH.getFeedback)
  .openapi(feedbackR.listFeedback, feedbackH.listFeedback);

export default defineModule({ name: "marketing", router, jobs: marketingJobs, sweeps: marketingSweeps, seed: seedMarketing });
