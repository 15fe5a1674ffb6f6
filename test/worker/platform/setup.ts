/** Bindings of the platform suites: a JWKS endpoint for the identity tests (jwks.test.ts). */
import { startJwks } from "../../local/fakes/jwks.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const jwks = await startJwks();
  return {
    bindings: { JWKS_BASE_URL: jwks.url, JWKS_CONTROL_URL: jwks.controlUrl, JWKS_TIMEOUT_MS: "1000" },
    close: () => jwks.close(),
  };
};

export default setup;
