/** What every scheduler route shares: its tag, operationId `scheduler<ExportName>`, security and auth middleware. */
import { adminSecurity, requireAdmin, userAuth, userSecurity } from "./auth";

export const tags = ["scheduler"];

/** For a user route (session or API key). */
export const asUser = (name: string) => ({ operationId: `scheduler${name}`, tags, security: userSecurity, middleware: userAuth });

/** For an admin route (admin token). */
export const asAdmin = (name: string) => ({ operationId: `scheduler${name}`, tags, security: adminSecurity, middleware: requireAdmin });
