/** The chat module: data model, migration and seed; no routes yet. */
import { defineModule } from "../../src/module";
import { createRouter } from "../../src/http/router";
import { seedChat } from "./seed";

export default defineModule({ name: "chat", router: createRouter(), seed: seedChat });
