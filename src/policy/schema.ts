// The policy and macro documents as data (parsed YAML/JSON), described with TypeBox. Structure is
// checked here; meaning (bands, ranges, monotonicity) is checked in validate.ts, every problem with its path.

import { type Static, Type } from "@sinclair/typebox";

const strict = { additionalProperties: false } as const;

export const LocalizedText = Type.Object({ "zh-CN": Type.String(), en: Type.String() }, strict);

export const Announcement = Type.Object({ title: LocalizedText, body: LocalizedText }, strict);

/** The longest decrease window a policy may set: the caller reads a year of limit changes at most. */
export const decreaseWindowDaysMax = 365;

/**
 * Values of the guardrails a document may omit (they came after the first documents were published): a
 * document without them means these, so an older stored version compiles to the same guarantees.
 */
export const guardrailDefaults = Object.freeze({
  decreaseWindowDays: 30,
  reevaluationNeverLowers: true,
} as const);

/**
 * The most a kept promise may add on top of the policy's own limit, ppm of that limit (10×): a larger cap is a
 * typo, not a policy. A document without `plans.maxLiftPpm` sets no cap (promises are kept in full).
 */
export const planLiftPpmMax = 10_000_000;

const DateText = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

export const BandDoc = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 32 }),
    /** Inclusive lower score edge; omitted on the lowest band only. */
    minScore: Type.Optional(Type.Number()),
    /** Exclusive upper score edge; omitted on the highest band only. */
    maxScore: Type.Optional(Type.Number()),
    multiplier: Type.Number(),
    /** The band's expected probability of bad (0–1), used by the macro expected-profit test. */
    pd: Type.Number(),
  },
  strict,
);

export const ConditionDoc = Type.Object(
  {
    feature: Type.String({ minLength: 1 }),
    op: Type.Union([Type.Literal(">="), Type.Literal(">"), Type.Literal("<="), Type.Literal("<")]),
    value: Type.Number(),
  },
  strict,
);

export const EffectDoc = Type.Object(
  {
    kind: Type.Union([
      Type.Literal("multiplier"),
      Type.Literal("cap_at_current"),
      Type.Literal("block_increase"),
    ]),
    /** Required for kind "multiplier". */
    multiplier: Type.Optional(Type.Number()),
  },
  strict,
);

export const BehaviourRuleDoc = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({ pattern: "^[a-z][a-z0-9_]*$", maxLength: 64 }),
    description: Type.Optional(Type.String()),
    when: Type.Array(ConditionDoc, { minItems: 1, maxItems: 8 }),
    effect: EffectDoc,
  },
  strict,
);

/** What every policy and macro version starts with: its id, version, first day in force and announcement. */
const versionHeader = {
  id: Type.String({ minLength: 1, maxLength: 64 }),
  version: Type.Integer({ minimum: 1 }),
  effectiveFrom: DateText,
  announcement: Announcement,
};

export const PolicyDocSchema = Type.Object(
  {
    ...versionHeader,
    base: Type.Object(
      {
        /** base = bureau monthly income × incomeMultiplier. */
        incomeMultiplier: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
        /** base when no bureau income is known. */
        noIncomeBaseMinor: Type.Integer({ minimum: 0 }),
      },
      strict,
    ),
    capacity: Type.Object(
      {
        /** External debt plus this limit may not exceed monthly income × debtToIncomeMax. */
        debtToIncomeMax: Type.Number({ minimum: 0, maximum: 1000 }),
        /** The ceiling when no bureau income is known. */
        noIncomeCeilingMinor: Type.Integer({ minimum: 0 }),
      },
      strict,
    ),
    bands: Type.Array(BandDoc, { minItems: 1, maxItems: 32 }),
    behaviourRules: Type.Array(BehaviourRuleDoc, { maxItems: 52 }),
    guardrails: Type.Object(
      {
        /** The largest fall from the highest limit of the last `decreaseWindowDays` days, ppm. */
        maxDecreasePpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        decreaseWindowDays: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: decreaseWindowDaysMax,
            default: guardrailDefaults.decreaseWindowDays,
          }),
        ),
        increaseWaitingDays: Type.Integer({ minimum: 0, maximum: 3650 }),
        noIncreaseWhileOverdue: Type.Boolean(),
        freezeDpdOver: Type.Integer({ minimum: 0, maximum: 3650 }),
        hysteresisMarginPoints: Type.Number({ minimum: 0, maximum: 1000 }),
        onTimeRepaymentNeverLowers: Type.Boolean(),
        /** A borrower's own re-evaluation request lowers the limit only through a hard rule. */
        reevaluationNeverLowers: Type.Optional(
          Type.Boolean({ default: guardrailDefaults.reevaluationNeverLowers }),
        ),
      },
      strict,
    ),
    /** Recovery plans as promises (src/explain commitment.ts); optional, added after the first documents. */
    plans: Type.Optional(
      Type.Object(
        {
          /**
           * The most a kept promise may lift the limit above the policy's own, ppm of the policy's limit
           * (0 … planLiftPpmMax; checked in validate.ts). Omitted: no cap.
           */
          maxLiftPpm: Type.Optional(Type.Integer()),
        },
        strict,
      ),
    ),
  },
  strict,
);

export type PolicyDoc = Static<typeof PolicyDocSchema>;
export type BandDocType = Static<typeof BandDoc>;
export type BehaviourRuleDocType = Static<typeof BehaviourRuleDoc>;

/** A multiplier per band id, with a default for bands not listed. */
export const OverlayTable = Type.Object(
  {
    default: Type.Number(),
    bands: Type.Optional(Type.Record(Type.String(), Type.Number())),
  },
  strict,
);

export const MacroDocSchema = Type.Object(
  {
    ...versionHeader,
    riskAppetite: OverlayTable,
    liquidity: OverlayTable,
    lifecycle: Type.Object(
      {
        stage: Type.Union([Type.Literal("growth"), Type.Literal("mature"), Type.Literal("contraction")]),
        growth: OverlayTable,
        mature: OverlayTable,
        contraction: OverlayTable,
      },
      strict,
    ),
    profitTest: Type.Object(
      {
        enabled: Type.Boolean(),
        /** Annual cost of funds per unit of limit, ppm. */
        costOfFundsPpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        lossGivenDefaultPpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        expectedUtilisationPpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        onFail: Type.Union([Type.Literal("zero"), Type.Literal("product_min")]),
      },
      strict,
    ),
    exposureBudgetMinor: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  },
  strict,
);

export type MacroDoc = Static<typeof MacroDocSchema>;
export type OverlayTableDoc = Static<typeof OverlayTable>;
