/**
 * What the influencer suites need around the Worker (run by the global setup in Node): a Clerk key pair the
 * tests sign session tokens with (the Worker only gets the public PEM), QStash signing keys and token, a Svix
 * secret, and the fake scraper API and QStash publish API on 127.0.0.1.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { startQstash } from "../../local/fakes/qstash.js";
import { startScraperApi } from "../../local/fakes/scraper-api.js";
import type { ModuleTestSetup } from "../module-setup.types.js";

const setup: ModuleTestSetup = async () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const qstashToken = randomBytes(16).toString("hex");
  const scraper = await startScraperApi();
  const qstash = await startQstash(qstashToken);
  return {
    bindings: {
      CLERK_JWT_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
      TEST_CLERK_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      CLERK_AUTHORIZED_PARTIES: "https://app.example.com, http://localhost:3000",
      CLERK_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
      INFLUENCER_ADMIN_USER_IDS: "user_env_admin",
      INFLUENCER_PUBLIC_URL: "http://api.test",
      INFLUENCER_LIMITS: "production",
      SCRAPER_API_URL: scraper.url,
      SCRAPER_API_CONTROL_URL: scraper.controlUrl,
      SCRAPER_TIMEOUT_MS: "1000",
      QSTASH_URL: qstash.url,
      QSTASH_CONTROL_URL: qstash.controlUrl,
      QSTASH_TOKEN: qstashToken,
      QSTASH_CURRENT_SIGNING_KEY: `sig_${randomBytes(16).toString("hex")}`,
      QSTASH_NEXT_SIGNING_KEY: `sig_${randomBytes(16).toString("hex")}`,
    },
    close: async () => {
      await scraper.close();
      await qstash.close();
    },
  };
};

export default setup;
