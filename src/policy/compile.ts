// Compiles validated documents into flat lookups for decideLimit: band edges in a Float64Array, rule
// conditions as parallel arrays, macro overlays multiplied out per band. Compiled objects are frozen.

import { assert } from "../kernel/index.js";
import { guardrailDefaults, type MacroDoc, type OverlayTableDoc, type PolicyDoc } from "./schema.js";
import {
  type CompiledBand,
  type CompiledMacro,
  type CompiledPolicy,
  type CompiledRule,
  effectOfKind,
  opOfRuleOp,
  type PolicyProblem,
} from "./types.js";

/** Every guardrail with its value: an omitted one takes its default, so decideLimit reads plain fields. */
function compileGuardrails(g: PolicyDoc["guardrails"]): CompiledPolicy["guardrails"] {
  return Object.freeze({
    maxDecreasePpm: g.maxDecreasePpm,
    decreaseWindowDays: g.decreaseWindowDays ?? guardrailDefaults.decreaseWindowDays,
    increaseWaitingDays: g.increaseWaitingDays,
    noIncreaseWhileOverdue: g.noIncreaseWhileOverdue,
    freezeDpdOver: g.freezeDpdOver,
    hysteresisMarginPoints: g.hysteresisMarginPoints,
    onTimeRepaymentNeverLowers: g.onTimeRepaymentNeverLowers,
    reevaluationNeverLowers: g.reevaluationNeverLowers ?? guardrailDefaults.reevaluationNeverLowers,
  });
}

/** Compiles a document that validatePolicy accepted (an unvalidated one is a bug: asserts). */
export function compilePolicy(doc: PolicyDoc): CompiledPolicy {
  const bands: CompiledBand[] = doc.bands.map((b, index) =>
    Object.freeze({
      id: b.id,
      index,
      minScore: b.minScore ?? Number.NEGATIVE_INFINITY,
      maxScore: b.maxScore ?? Number.POSITIVE_INFINITY,
      multiplier: b.multiplier,
      pd: b.pd,
    }),
  );
  for (let i = 1; i < bands.length; i++) {
    assert(bands[i]!.minScore === bands[i - 1]!.maxScore, "compilePolicy needs a validated policy");
    assert(bands[i]!.multiplier >= bands[i - 1]!.multiplier, "compilePolicy needs monotone bands");
  }
  const rules: CompiledRule[] = doc.behaviourRules.map((r) =>
    Object.freeze({
      id: r.id,
      code: r.code,
      features: Object.freeze(r.when.map((c) => c.feature)),
      ops: Uint8Array.from(r.when.map((c) => opOfRuleOp[c.op])),
      thresholds: Float64Array.from(r.when.map((c) => c.value)),
      effect: effectOfKind[r.effect.kind],
      multiplier: r.effect.multiplier ?? 1,
    } as const),
  );
  return Object.freeze({
    id: doc.id,
    version: doc.version,
    effectiveFrom: doc.effectiveFrom,
    bands: Object.freeze(bands),
    bandIndexById: new Map(bands.map((b) => [b.id, b.index])),
    edges: Float64Array.from(bands.slice(1).map((b) => b.minScore)),
    incomeMultiplier: doc.base.incomeMultiplier,
    noIncomeBaseMinor: doc.base.noIncomeBaseMinor,
    debtToIncomeMax: doc.capacity.debtToIncomeMax,
    noIncomeCeilingMinor: doc.capacity.noIncomeCeilingMinor,
    rules: Object.freeze(rules),
    guardrails: compileGuardrails(doc.guardrails),
    plans: Object.freeze({ maxLiftPpm: doc.plans?.maxLiftPpm ?? null }),
  });
}

function table(t: OverlayTableDoc): ReadonlyMap<string, number> {
  return new Map(Object.entries(t.bands ?? {}));
}

export function compileMacro(doc: MacroDoc): CompiledMacro {
  const stageTable = doc.lifecycle[doc.lifecycle.stage];
  const overlays = [
    { ruleId: "risk_appetite", code: "macro_risk_appetite", path: "/riskAppetite", source: doc.riskAppetite },
    { ruleId: "liquidity", code: "macro_liquidity", path: "/liquidity", source: doc.liquidity },
    {
      ruleId: `lifecycle_${doc.lifecycle.stage}`,
      code: `macro_lifecycle_${doc.lifecycle.stage}`,
      path: `/lifecycle/${doc.lifecycle.stage}`,
      source: stageTable,
    },
  ].map((o) =>
    Object.freeze({
      ruleId: o.ruleId,
      path: o.path,
      code: o.code,
      defaultMultiplier: o.source.default,
      bandMultipliers: table(o.source),
    }),
  );
  const defaultMultiplier = overlays.reduce((m, o) => m * o.defaultMultiplier, 1);
  const listed = new Set(overlays.flatMap((o) => [...o.bandMultipliers.keys()]));
  const bandMultipliers = new Map<string, number>();
  for (const band of listed)
    bandMultipliers.set(
      band,
      overlays.reduce((m, o) => m * (o.bandMultipliers.get(band) ?? o.defaultMultiplier), 1),
    );
  const p = doc.profitTest;
  return Object.freeze({
    id: doc.id,
    version: doc.version,
    effectiveFrom: doc.effectiveFrom,
    stage: doc.lifecycle.stage,
    defaultMultiplier,
    bandMultipliers,
    overlays: Object.freeze(overlays),
    profitTest: p.enabled ? Object.freeze({ ...p }) : null,
    exposureBudgetMinor: doc.exposureBudgetMinor ?? null,
  });
}

/**
 * Checks that a macro fits a policy: every band it names exists, and band multiplier × macro multiplier
 * never falls as the band rises (otherwise the limit would not be monotone in the score).
 */
export function checkPairing(policy: CompiledPolicy, macro: CompiledMacro): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const o of macro.overlays)
    for (const band of o.bandMultipliers.keys())
      if (!policy.bandIndexById.has(band))
        problems.push({
          code: "unknown_band",
          path: `${o.path}/bands/${band}`,
          message: `macro names band "${band}", which policy ${policy.id} v${policy.version} does not have`,
        });
  let previous = Number.NEGATIVE_INFINITY;
  for (const band of policy.bands) {
    const combined = band.multiplier * (macro.bandMultipliers.get(band.id) ?? macro.defaultMultiplier);
    if (combined < previous)
      problems.push({
        code: "band_not_monotone",
        path: `/bands/${band.id}`,
        message: `with macro ${macro.id} v${macro.version}, band "${band.id}" gets a lower multiplier than the band below it`,
      });
    previous = Math.max(previous, combined);
  }
  return problems;
}
