// Turns stored decision records into the contract's response shapes in the caller's language. The stored
// explanation is language-neutral; src/explain's catalogue renders its messages (zh-CN or en) on read, and a
// plan is led by the arrears the decision recorded (or the line's now, for a customer's latest decision).

import type { DecisionRecord } from "../engine/index.js";
import {
  type Explanation,
  type Lang,
  type OverdueStanding,
  type RenderedExplanation,
  recordedOverdueStanding,
  renderExplanation,
  withOverdueRepayment,
  withStepDates,
} from "../explain/index.js";

function rendered(record: DecisionRecord, lang: Lang): Partial<RenderedExplanation> {
  const explanation = record.explanation as Explanation | null;
  if (explanation === null || explanation.format !== "headroom.explanation") return {};
  return renderExplanation(explanation, lang);
}

/**
 * A decision's explanation as the API serves it. A frozen or overdue borrower's plan starts by repaying the
 * arrears: those the decision was made with (its record), unless the caller gives the line's as they stand
 * (the latest decision's route); one or the other, never both.
 */
export function renderExplanationResponse(
  record: DecisionRecord,
  lang: Lang,
  standing: OverdueStanding | null = recordedOverdueStanding(record),
) {
  const r = rendered(record, lang);
  const led =
    r.plan === undefined ? null : standing === null ? r.plan : withOverdueRepayment(r.plan, standing, lang);
  // Each step says its date (the borrower's view marks those already passed).
  const plan = led === null ? null : withStepDates(led, record.businessDate);
  return {
    ...decisionFigures(record),
    // One sentence on what happened to the limit, in the caller's language (absent without an explanation).
    ...(r.headline === undefined ? {} : { headline: r.headline }),
    reasons: r.reasons ?? [],
    attribution: r.attribution ?? [],
    plan,
    // What the decision did with the recovery plan in force before it (honoured, broken, …), if any.
    ...(r.commitment === undefined ? {} : { commitment: r.commitment }),
  };
}

/** What every view of a decision opens with: its id, date, trigger and the limit before and after. */
function decisionFigures(record: DecisionRecord) {
  return {
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    trigger: record.trigger,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
  };
}

/** The decision's reason codes, in the explanation's order (none for a record without an explanation). */
export function decisionReasonCodes(record: DecisionRecord): string[] {
  const explanation = record.explanation as Explanation | null;
  if (explanation === null || explanation.format !== "headroom.explanation") return [];
  return explanation.reasons.map((r) => r.code);
}

/** A row of a decision list: the figures, the reasons in the caller's language and their codes for operators. */
export function renderDecisionSummary(record: DecisionRecord, lang: Lang) {
  const r = rendered(record, lang);
  return {
    ...decisionFigures(record),
    score: record.score.score,
    band: record.band,
    reasons: (r.reasons ?? []).map((x) => ({ code: x.code, message: x.message })),
    reasonCodes: decisionReasonCodes(record),
  };
}

/** The full record for `GET /v1/decisions/{id}`, with the explanation rendered alongside. */
export function renderDecisionRecord(record: DecisionRecord, lang: Lang) {
  return { ...record, rendered: renderExplanationResponse(record, lang) };
}
