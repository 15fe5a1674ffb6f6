/** `npm run client`: writes test/client/api.d.ts, the types of /openapi.json for openapi-fetch. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument, renderTypes, TYPES_FILE } from "./spec";

writeFileSync(TYPES_FILE, await renderTypes(await openApiDocument()));
console.error(`wrote ${fileURLToPath(TYPES_FILE)}`);
