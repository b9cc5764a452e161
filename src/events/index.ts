// events: the behaviour-event schema (validated with compiled TypeBox checkers) and the order of the log.

export { instantMs } from "./instant.js";
export * from "./parse.js";
export * from "./schema.js";
export * from "./sources.js";
export type * from "./types.js";
