/** `npm run token -- scheduler <user id>`: an Auth.js database session (a row in scheduler."session", 30 days) for that user. */
import type { DevTokenMaker } from "../../src/dev-token";
import { randomToken } from "../../src/core/secrets";

export const devToken: DevTokenMaker = async ({ subject, admin, sql }) => {
  if (admin) throw new Error("scheduler admins use the ADMIN_TOKEN from .dev.vars");
  const token = randomToken(32);
  await sql(
    `WITH u AS (INSERT INTO scheduler."user" (id, email) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING)
     INSERT INTO scheduler."session" ("sessionToken", "userId", expires) VALUES ($3, $1, now() + interval '30 days')`,
    [subject, subject.includes("@") ? subject : null, token],
  );
  return token;
};
