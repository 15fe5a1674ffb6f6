/** The influencer module: data model, migration and seed; no routes yet. */
import { defineModule } from "../../src/module";
import { createRouter } from "../../src/http/router";
import { seedInfluencer } from "./seed";

export default defineModule({ name: "influencer", router: createRouter(), seed: seedInfluencer });
