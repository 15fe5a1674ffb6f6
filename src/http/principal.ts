/**
 * Who is calling, whatever the way they proved it: an API key, a bearer JWT, a database session or the
 * admin token. Handlers read `c.var.principal` and never care which middleware set it.
 */
export interface Principal {
  kind: "apiKey" | "jwt" | "session" | "admin";
  /** the user id (API key owner, JWT `sub`, session user id; "admin" for the admin token) */
  subject: string;
  /** what the credential said: JWT payload, `{ keyLookup }` for an API key, `{ expires }` for a session */
  claims: Record<string, unknown>;
}
