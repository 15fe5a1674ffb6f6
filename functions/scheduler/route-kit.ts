/** What every scheduler route shares: its tag, operationId `scheduler<ExportName>`, security and auth middleware. */
import { idempotent } from "../../src/http/idempotency";

type Idem = ReturnType<typeof idempotent>;
import { adminSecurity, requireAdmin, userAuth, userSecurity } from "./auth";

export const tags = ["scheduler"];

/** For a user route (session or API key). */
export const asUser = (name: string) => ({ operationId: `scheduler${name}`, tags, security: userSecurity, middleware: userAuth });

/** For a user route that creates something: an `Idempotency-Key` replays the first answer. */
export const asUserCreate = (name: string) => ({ ...asUser(name), middleware: [userAuth, idempotent()] as [typeof userAuth, Idem] });

/** The admin token; a user's valid session or key answers 403, any other bearer 401. */
const adminAuth = requireAdmin({ auth: userAuth });

/** For an admin route (admin token). */
export const asAdmin = (name: string) => ({ operationId: `scheduler${name}`, tags, security: adminSecurity, middleware: adminAuth });

/** For an admin route that creates something. */
export const asAdminCreate = (name: string) => ({ ...asAdmin(name), middleware: [adminAuth, idempotent()] as [Idem, Idem] });
