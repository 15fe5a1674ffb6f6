/**
 * The only list of modules. Adding a module = its folder functions/<name>/ (index.ts default-exports
 * defineModule(…)) + one line here + its migration. Everything else is derived (src/registry.ts).
 */
import blog from "../functions/blog";
import chat from "../functions/chat";
import influencer from "../functions/influencer";
import marketing from "../functions/marketing";
import scheduler from "../functions/scheduler";
import type { ModuleDef } from "./module";

export const modules: ModuleDef[] = [marketing, blog, chat, scheduler, influencer];
