// events: the behaviour-event schema (validated) and the append-only log contract.
export type * from "./types.js";
