// The real clock, for the shell only: the core is always handed a Clock.
import type { Clock } from "../kernel/index.js";

export const systemClock: Clock = Object.freeze({ nowMs: () => Date.now() });
