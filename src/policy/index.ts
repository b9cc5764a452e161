// policy: the limit policy as versioned data — schema, compiler, decision, overlays, guardrails,
// champion/challenger and the exposure budget. Pure.
export { decideLimit } from "./decide-limit.js";
export * from "./types.js";
