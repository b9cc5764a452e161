// decideLimit: the pure limit decision — base, band (with hysteresis), behaviour rules, macro overlays,
// capacity ceiling, product bounds, one rounding to the step, then guardrails. Reads nothing but its arguments.

import type { CompiledMacro, CompiledPolicy, DecideOptions, LimitInput, LimitOutcome } from "./types.js";

export function decideLimit(
  input: LimitInput,
  policy: CompiledPolicy,
  macro: CompiledMacro,
  options?: DecideOptions,
): LimitOutcome {
  void input;
  void policy;
  void macro;
  void options;
  throw new Error("decideLimit: not implemented yet");
}
