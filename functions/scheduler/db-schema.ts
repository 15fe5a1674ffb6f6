export * from "./schema";
export * from "./relations";
