// Turns stored decision records into the contract's response shapes in the caller's language. The stored
// explanation is language-neutral; messages come from src/explain's catalogue when it renders them, else the
// reason code stands in for the message (so the shape never changes).

import type { DecisionRecord } from "../engine/index.js";
import type { Explanation, Lang } from "../explain/index.js";

type Rendered = {
  readonly reasons?: readonly {
    code: string;
    kind?: string;
    message: string;
    featureId?: string;
    value?: unknown;
  }[];
  readonly attribution?: readonly {
    group: string;
    amountMinor: number;
    label: string;
    announcementId?: string;
    platformWide: boolean;
  }[];
  readonly plan?: Record<string, unknown>;
};

/** A pluggable renderer (src/explain's), set once at start-up by the wiring. */
let renderer: ((explanation: Explanation, lang: Lang) => Rendered) | null = null;

export function setExplanationRenderer(fn: (explanation: Explanation, lang: Lang) => Rendered): void {
  renderer = fn;
}

function rendered(record: DecisionRecord, lang: Lang): Rendered {
  const explanation = record.explanation as Explanation | null;
  if (!explanation) return {};
  if (renderer) return renderer(explanation, lang);
  return {
    reasons: explanation.reasons.map((r) => ({
      code: r.code,
      kind: r.kind,
      message: r.code,
      ...(r.featureId !== undefined ? { featureId: r.featureId } : {}),
      ...(r.value !== undefined ? { value: r.value } : {}),
    })),
    attribution: explanation.attribution.map((a) => ({
      group: a.group,
      amountMinor: a.amountMinor,
      label: a.group,
      ...(a.announcementId !== undefined ? { announcementId: a.announcementId } : {}),
      platformWide: a.platformWide,
    })),
    plan: {
      ...explanation.plan,
      steps: explanation.plan.steps.map((s) => ({ ...s, message: s.action })),
    },
  };
}

export function renderExplanationResponse(record: DecisionRecord, lang: Lang) {
  const r = rendered(record, lang);
  return {
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    trigger: record.trigger,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    reasons: r.reasons ?? [],
    attribution: r.attribution ?? [],
    plan: r.plan ?? null,
  };
}

export function renderDecisionSummary(record: DecisionRecord, lang: Lang) {
  const r = rendered(record, lang);
  return {
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    trigger: record.trigger,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    score: record.score.score,
    band: record.band,
    reasons: (r.reasons ?? []).map((x) => ({ code: x.code, message: x.message })),
  };
}

/** The full record for `GET /v1/decisions/{id}`, with the explanation rendered alongside. */
export function renderDecisionRecord(record: DecisionRecord, lang: Lang) {
  return { ...record, rendered: renderExplanationResponse(record, lang) };
}
