import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { unwrapOrThrow } from "../kernel/index.js";
import {
  checkPairing,
  compileMacro,
  compilePolicy,
  decreaseWindowDaysMax,
  guardrailDefaults,
  type PolicyProblem,
  planLiftPpmMax,
  validateMacro,
  validatePolicy,
} from "./index.js";

const dataDir = join(import.meta.dirname, "..", "..", "data", "policy");
const load = (name: string) => parse(readFileSync(join(dataDir, name), "utf8")) as Record<string, unknown>;
type Doc = Record<string, unknown> & {
  bands: Record<string, unknown>[];
  behaviourRules: Record<string, unknown>[];
};
const fresh = (): Doc => load("default-policy.yaml") as Doc;

function problemsOf(doc: unknown): PolicyProblem[] {
  const result = validatePolicy(doc);
  return result.ok ? [] : result.error;
}

describe("policy validation", () => {
  it("accepts the shipped default policy and macro, and they pair", () => {
    const p = validatePolicy(load("default-policy.yaml"));
    const m = validateMacro(load("default-macro.yaml"));
    expect(p.ok && m.ok).toBe(true);
    if (!p.ok || !m.ok) return;
    expect(checkPairing(compilePolicy(p.value), compileMacro(m.value))).toEqual([]);
  });

  it("refuses an unknown key with its path", () => {
    const doc = fresh();
    (doc.guardrails as Record<string, unknown>).maxIncreasePpm = 5;
    doc.bands[2]!.colour = "red";
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "unknown_key", path: "/guardrails/maxIncreasePpm" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "unknown_key", path: "/bands/2/colour" }),
    );
  });

  it("refuses overlapping bands with the path of the overlapping edge", () => {
    const doc = fresh();
    doc.bands[3]!.minScore = 590; // band C ends at 600
    expect(problemsOf(doc)).toContainEqual(
      expect.objectContaining({ code: "band_overlap", path: "/bands/3/minScore" }),
    );
  });

  it("refuses a gap between bands", () => {
    const doc = fresh();
    doc.bands[1]!.minScore = 545; // band E ends at 540
    expect(problemsOf(doc)).toContainEqual(
      expect.objectContaining({ code: "band_gap", path: "/bands/1/minScore" }),
    );
  });

  it("refuses missing bands at either end", () => {
    const low = fresh();
    low.bands[0]!.minScore = 300;
    expect(problemsOf(low)).toContainEqual(
      expect.objectContaining({ code: "band_missing", path: "/bands/0/minScore" }),
    );
    const high = fresh();
    high.bands[5]!.maxScore = 900;
    expect(problemsOf(high)).toContainEqual(
      expect.objectContaining({ code: "band_missing", path: "/bands/5/maxScore" }),
    );
  });

  it("refuses multipliers out of range in bands, rules and overlays", () => {
    const doc = fresh();
    doc.bands[4]!.multiplier = -0.5;
    (doc.behaviourRules[0]!.effect as Record<string, unknown>).multiplier = 3;
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "multiplier_out_of_range", path: "/bands/4/multiplier" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: "multiplier_out_of_range",
        path: "/behaviourRules/0/effect/multiplier",
      }),
    );
    const macro = load("default-macro.yaml") as {
      lifecycle: { contraction: { bands: Record<string, number> } };
    };
    macro.lifecycle.contraction.bands.E = 2.5;
    const m = validateMacro(macro);
    expect(m.ok ? [] : m.error).toContainEqual(
      expect.objectContaining({ code: "multiplier_out_of_range", path: "/lifecycle/contraction/bands/E" }),
    );
  });

  it("refuses non-monotone bands (multiplier or pd)", () => {
    const doc = fresh();
    doc.bands[3]!.multiplier = 0.9; // C has 1.0 below it
    doc.bands[5]!.pd = 0.5;
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "band_not_monotone", path: "/bands/3/multiplier" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "band_not_monotone", path: "/bands/5/pd" }),
    );
  });

  it("refuses duplicate rule codes, unknown features and wrong types with paths", () => {
    const doc = fresh();
    doc.behaviourRules[1]!.code = doc.behaviourRules[0]!.code;
    (doc.behaviourRules[2]!.when as Record<string, unknown>[])[0]!.feature = "shoeSize";
    doc.version = "two";
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(expect.objectContaining({ code: "schema", path: "/version" }));
    doc.version = 2;
    const again = problemsOf(doc);
    expect(again).toContainEqual(
      expect.objectContaining({ code: "rule_duplicate", path: "/behaviourRules/1/code" }),
    );
    expect(again).toContainEqual(
      expect.objectContaining({ code: "unknown_feature", path: "/behaviourRules/2/when/0/feature" }),
    );
  });

  it("gives a document without the later guardrails their defaults, and checks them when given", () => {
    const doc = fresh();
    const guardrails = doc.guardrails as Record<string, unknown>;
    delete guardrails.decreaseWindowDays;
    delete guardrails.reevaluationNeverLowers;
    const older = compilePolicy(unwrapOrThrow(validatePolicy(doc)));
    expect(older.guardrails.decreaseWindowDays).toBe(guardrailDefaults.decreaseWindowDays);
    expect(older.guardrails.reevaluationNeverLowers).toBe(true);
    // the shipped document spells the defaults out: both forms compile to the same guardrails
    expect(older.guardrails).toEqual(compilePolicy(unwrapOrThrow(validatePolicy(fresh()))).guardrails);
    // validation returns the document as written: the stored form is the author's
    expect(unwrapOrThrow(validatePolicy(doc)).guardrails).not.toHaveProperty("decreaseWindowDays");

    for (const days of [0, decreaseWindowDaysMax + 1, 2.5]) {
      guardrails.decreaseWindowDays = days;
      expect(problemsOf(doc)).toContainEqual(
        expect.objectContaining({ code: "schema", path: "/guardrails/decreaseWindowDays" }),
      );
    }
    guardrails.decreaseWindowDays = 1;
    guardrails.reevaluationNeverLowers = "yes";
    expect(problemsOf(doc)).toEqual([
      expect.objectContaining({ code: "schema", path: "/guardrails/reevaluationNeverLowers" }),
    ]);
    guardrails.reevaluationNeverLowers = false;
    expect(compilePolicy(unwrapOrThrow(validatePolicy(doc))).guardrails).toMatchObject({
      decreaseWindowDays: 1,
      reevaluationNeverLowers: false,
    });
  });

  it("sets no cap on a promise's lift unless plans.maxLiftPpm is given, and refuses one out of range", () => {
    expect(compilePolicy(unwrapOrThrow(validatePolicy(fresh()))).plans).toEqual({ maxLiftPpm: null });
    const doc = fresh();
    doc.plans = {};
    expect(compilePolicy(unwrapOrThrow(validatePolicy(doc))).plans).toEqual({ maxLiftPpm: null });
    for (const ppm of [0, 200_000, planLiftPpmMax]) {
      doc.plans = { maxLiftPpm: ppm };
      expect(compilePolicy(unwrapOrThrow(validatePolicy(doc))).plans).toEqual({ maxLiftPpm: ppm });
      // the document is returned as written
      expect(unwrapOrThrow(validatePolicy(doc)).plans).toEqual({ maxLiftPpm: ppm });
    }
    for (const ppm of [-1, planLiftPpmMax + 1]) {
      doc.plans = { maxLiftPpm: ppm };
      expect(problemsOf(doc)).toEqual([
        {
          code: "plan_lift_out_of_range",
          path: "/plans/maxLiftPpm",
          message: `maxLiftPpm ${ppm} is outside [0, ${planLiftPpmMax}]`,
        },
      ]);
    }
    doc.plans = { maxLiftPpm: 0.5 };
    expect(problemsOf(doc)).toEqual([expect.objectContaining({ code: "schema", path: "/plans/maxLiftPpm" })]);
    doc.plans = { maxLiftPpm: 1, maxLiftMinor: 5 };
    expect(problemsOf(doc)).toEqual([
      expect.objectContaining({ code: "unknown_key", path: "/plans/maxLiftMinor" }),
    ]);
  });

  it("flags a macro that names unknown bands or breaks monotonicity against a policy", () => {
    const policy = compilePolicy(unwrapOrThrow(validatePolicy(fresh())));
    const macroDoc = load("default-macro.yaml") as {
      riskAppetite: { default: number; bands?: Record<string, number> };
    };
    macroDoc.riskAppetite.bands = { ZZ: 1, AA: 0.5 }; // AA 3.0 × 0.5 = 1.5 < A's 2.2
    const m = validateMacro(macroDoc);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const problems = checkPairing(policy, compileMacro(m.value));
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "unknown_band", path: "/riskAppetite/bands/ZZ" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "band_not_monotone", path: "/bands/AA" }),
    );
  });
});
