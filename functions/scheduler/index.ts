/** The scheduler module: data model, migration and seed; no routes yet. */
import { defineModule } from "../../src/module";
import { createRouter } from "../../src/http/router";
import { seedScheduler } from "./seed";

export default defineModule({ name: "scheduler", router: createRouter(), seed: seedScheduler });
