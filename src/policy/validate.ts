// Validation of policy and macro documents: structure by TypeBox, then meaning — bands cover every score
// exactly once, in ascending order, with non-decreasing multipliers and non-increasing PDs; multipliers in
// range; rule ids and codes unique; features known. Every problem is reported with its JSON-pointer path.
// Guardrails added after the first published documents (decreaseWindowDays, reevaluationNeverLowers) may be
// omitted: the document is returned as written (so a stored version stays byte-identical) and compilePolicy
// gives them their defaults (schema.ts `guardrailDefaults`). So may `plans` (no cap on a promise's lift); its
// `maxLiftPpm`, when given, is a whole ppm in [0, planLiftPpmMax].

import { ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { err, ok, type Result } from "../kernel/index.js";
import { knownFeatureIds } from "./feature-ids.js";
import {
  type MacroDoc,
  MacroDocSchema,
  type OverlayTableDoc,
  type PolicyDoc,
  PolicyDocSchema,
  planLiftPpmMax,
} from "./schema.js";
import type { PolicyProblem } from "./types.js";

/** Band multipliers apply to the base (income × k); beyond this a band is a typo, not a policy. */
export const bandMultiplierMax = 20;
/** Behaviour rules and macro overlays scale the limit; above 2× they would dominate the score. */
export const ruleMultiplierMax = 2;
export const overlayMultiplierMax = 2;
/** Stop listing after this many problems: a wholly wrong file should not flood the terminal. */
export const problemsMax = 200;

function schemaProblems(schema: Parameters<typeof Value.Errors>[0], doc: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const e of Value.Errors(schema, doc)) {
    if (problems.length >= problemsMax) break;
    const unknown = e.type === ValueErrorType.ObjectAdditionalProperties;
    problems.push({
      code: unknown ? "unknown_key" : "schema",
      path: e.path === "" ? "/" : e.path,
      message: unknown ? `unknown key "${e.path.split("/").pop() ?? ""}"` : e.message,
    });
  }
  return problems;
}

function checkMultiplier(value: number, max: number, path: string, problems: PolicyProblem[]): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    problems.push({
      code: "multiplier_out_of_range",
      path,
      message: `multiplier ${value} is outside [0, ${max}]`,
    });
  }
}

/** The promise cap, when set: a whole ppm in [0, planLiftPpmMax]. */
function checkPlans(plans: PolicyDoc["plans"], problems: PolicyProblem[]): void {
  const ppm = plans?.maxLiftPpm;
  if (ppm === undefined || (ppm >= 0 && ppm <= planLiftPpmMax)) return;
  problems.push({
    code: "plan_lift_out_of_range",
    path: "/plans/maxLiftPpm",
    message: `maxLiftPpm ${ppm} is outside [0, ${planLiftPpmMax}]`,
  });
}

export function validatePolicy(doc: unknown): Result<PolicyDoc, PolicyProblem[]> {
  const structural = schemaProblems(PolicyDocSchema, doc);
  if (structural.length > 0) return err(structural);
  const policy = doc as PolicyDoc;
  const problems: PolicyProblem[] = [];
  checkPlans(policy.plans, problems);

  const bands = policy.bands;
  const seen = new Set<string>();
  bands.forEach((band, i) => {
    const path = `/bands/${i}`;
    if (seen.has(band.id))
      problems.push({ code: "band_duplicate", path: `${path}/id`, message: `band id "${band.id}" repeats` });
    seen.add(band.id);
    checkMultiplier(band.multiplier, bandMultiplierMax, `${path}/multiplier`, problems);
    if (!(band.pd >= 0 && band.pd <= 1))
      problems.push({ code: "schema", path: `${path}/pd`, message: `pd ${band.pd} is not a probability` });
    if (i === 0 && band.minScore !== undefined)
      problems.push({
        code: "band_missing",
        path: `${path}/minScore`,
        message: `no band covers scores below ${band.minScore}: the lowest band has no minScore`,
      });
    if (i > 0 && band.minScore === undefined)
      problems.push({
        code: "band_missing",
        path: `${path}/minScore`,
        message: "only the lowest band may omit minScore",
      });
    if (i === bands.length - 1 && band.maxScore !== undefined)
      problems.push({
        code: "band_missing",
        path: `${path}/maxScore`,
        message: `no band covers scores from ${band.maxScore}: the highest band has no maxScore`,
      });
    if (i < bands.length - 1 && band.maxScore === undefined)
      problems.push({
        code: "band_missing",
        path: `${path}/maxScore`,
        message: "only the highest band may omit maxScore",
      });
    if (band.minScore !== undefined && band.maxScore !== undefined && !(band.minScore < band.maxScore))
      problems.push({
        code: "band_overlap",
        path: `${path}/maxScore`,
        message: `band "${band.id}" is empty or inverted: minScore ${band.minScore} ≥ maxScore ${band.maxScore}`,
      });
    const next = bands[i + 1];
    if (next === undefined) return;
    if (band.maxScore !== undefined && next.minScore !== undefined) {
      if (next.minScore < band.maxScore)
        problems.push({
          code: "band_overlap",
          path: `/bands/${i + 1}/minScore`,
          message: `band "${next.id}" starts at ${next.minScore}, inside band "${band.id}" (ends at ${band.maxScore})`,
        });
      else if (next.minScore > band.maxScore)
        problems.push({
          code: "band_gap",
          path: `/bands/${i + 1}/minScore`,
          message: `scores from ${band.maxScore} to ${next.minScore} fall in no band`,
        });
    }
    if (next.multiplier < band.multiplier)
      problems.push({
        code: "band_not_monotone",
        path: `/bands/${i + 1}/multiplier`,
        message: `band "${next.id}" (higher scores) has a lower multiplier than "${band.id}": ${next.multiplier} < ${band.multiplier}`,
      });
    if (next.pd > band.pd)
      problems.push({
        code: "band_not_monotone",
        path: `/bands/${i + 1}/pd`,
        message: `band "${next.id}" (higher scores) has a higher pd than "${band.id}"`,
      });
  });

  const ids = new Set<string>();
  const codes = new Set<string>();
  policy.behaviourRules.forEach((rule, i) => {
    const path = `/behaviourRules/${i}`;
    if (ids.has(rule.id))
      problems.push({ code: "rule_duplicate", path: `${path}/id`, message: `rule id "${rule.id}" repeats` });
    if (codes.has(rule.code))
      problems.push({
        code: "rule_duplicate",
        path: `${path}/code`,
        message: `rule code "${rule.code}" repeats`,
      });
    ids.add(rule.id);
    codes.add(rule.code);
    rule.when.forEach((c, j) => {
      if (!knownFeatureIds.has(c.feature))
        problems.push({
          code: "unknown_feature",
          path: `${path}/when/${j}/feature`,
          message: `"${c.feature}" is not a feature id`,
        });
    });
    if (rule.effect.kind === "multiplier") {
      if (rule.effect.multiplier === undefined)
        problems.push({
          code: "schema",
          path: `${path}/effect/multiplier`,
          message: "a multiplier effect needs a multiplier",
        });
      else checkMultiplier(rule.effect.multiplier, ruleMultiplierMax, `${path}/effect/multiplier`, problems);
    } else if (rule.effect.multiplier !== undefined) {
      problems.push({
        code: "unknown_key",
        path: `${path}/effect/multiplier`,
        message: `effect "${rule.effect.kind}" takes no multiplier`,
      });
    }
  });

  return problems.length > 0 ? err(problems.slice(0, problemsMax)) : ok(policy);
}

function checkOverlay(table: OverlayTableDoc, path: string, problems: PolicyProblem[]): void {
  checkMultiplier(table.default, overlayMultiplierMax, `${path}/default`, problems);
  for (const [band, m] of Object.entries(table.bands ?? {}))
    checkMultiplier(m, overlayMultiplierMax, `${path}/bands/${band}`, problems);
}

export function validateMacro(doc: unknown): Result<MacroDoc, PolicyProblem[]> {
  const structural = schemaProblems(MacroDocSchema, doc);
  if (structural.length > 0) return err(structural);
  const macro = doc as MacroDoc;
  const problems: PolicyProblem[] = [];
  checkOverlay(macro.riskAppetite, "/riskAppetite", problems);
  checkOverlay(macro.liquidity, "/liquidity", problems);
  checkOverlay(macro.lifecycle.growth, "/lifecycle/growth", problems);
  checkOverlay(macro.lifecycle.mature, "/lifecycle/mature", problems);
  checkOverlay(macro.lifecycle.contraction, "/lifecycle/contraction", problems);
  return problems.length > 0 ? err(problems) : ok(macro);
}
