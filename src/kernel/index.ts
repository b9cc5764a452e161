// kernel: assertions, Result, brands, the Clock port and seeded randomness — shared by every layer.
export { AssertionError, assert, assertNever } from "./assert.js";
export type { Brand } from "./brand.js";
export { type Clock, ManualClock } from "./clock.js";
export { type Err, err, type Ok, ok, type Rejection, type Result, reject, unwrapOrThrow } from "./result.js";
export { createRng, fnv1a32, type Rng } from "./rng.js";
