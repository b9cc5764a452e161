// One decision's workflow, shared by the single decision (decision-engine.ts), the portfolio review
// (review-compute.ts) and the simulator (sim/decider.ts): the history a decision reads from the previous record
// (the limits held in reach of a decrease window included), the pure `decide`, the record, and the record
// applied to the line with the lending block's own transitions at the change instant. Pure: no I/O, no clock;
// a limit the line refuses is a returned value, never an assert, and nothing is recorded for it.

import type { LendingEvent } from "../events/index.js";
import { AssertionError, assert, err, ok, type Result } from "../kernel/index.js";
import type { Entry } from "../ledger/index.js";
import {
  changeLimit,
  dueMinor,
  freezeLine,
  type LineState,
  overdueFreezeReason,
  type Product,
} from "../lending/index.js";
import {
  type BureauFigures,
  decreaseWindowDaysMax,
  type FeatureVector,
  type ProductTerms,
} from "../policy/index.js";
import {
  type BusinessDate,
  businessDateOfInstant,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../time/index.js";
import { buildRecord, decide } from "./decide.js";
import type {
  DecisionHistory,
  DecisionInputs,
  DecisionLine,
  DecisionRecord,
  HeldLimit,
  MacroInUse,
  PolicyInUse,
  PreviousDecisionInputs,
  PreviousDecisionSummary,
  RecordedHeldLimit,
  ResolvedVersions,
  Trigger,
} from "./decision-types.js";

/** Where in a business date a change decided for another date is placed: noon (product zone). */
const noonOffsetMs = 12 * 3_600_000;

/**
 * Days of limits a record carries for the next decision: the longest decrease window a policy may set. At most
 * one held limit per business date survives `limitsHeldOf`, so a list is bounded by this many dates.
 */
export const limitsHeldDaysMax = decreaseWindowDaysMax;

const noLimitsHeld: readonly HeldLimit[] = Object.freeze([]);

/**
 * What is overdue on the line: owed on instalments due through its last end of day (paying it cures the
 * delinquency and lifts a freeze for arrears). Only a delinquent line, or one frozen for arrears, can owe any:
 * the others skip the walk over their instalments (a review reads a million lines).
 */
export function overdueMinorOf(state: LineState): number {
  // A freeze reason is null unless the line is frozen.
  if ((state.delinquency?.dpd ?? 0) <= 0 && state.freezeReason !== overdueFreezeReason) return 0;
  return dueMinor(state, state.lastEndOfDay);
}

/** The line snapshot a decision reads from a line state. */
export function lineOf(state: LineState): DecisionLine {
  return {
    limitMinor: state.limitMinor,
    outstandingMinor: state.outstandingPrincipalMinor,
    status: state.status,
    dpd: state.delinquency?.dpd ?? 0,
    openedOn: parseDateOrThrow(state.openedOn, AssertionError),
    overdueMinor: overdueMinorOf(state),
  };
}

export function productTermsOf(product: Product): ProductTerms {
  return {
    limitMinMinor: product.limitMinMinor,
    limitMaxMinor: product.limitMaxMinor,
    limitStepMinor: product.limitStepMinor,
    dailyRatePpm: product.dailyRatePpm,
  };
}

/**
 * The trigger as decided: a settled repayment whose caller did not say whether it was on time is on time when
 * none of the drawdown's instalments went overdue on the line.
 */
export function withOnTime(trigger: Trigger, state: LineState): Trigger {
  if (trigger.kind !== "repayment.settled" || trigger.onTime !== undefined) return trigger;
  const drawdown = state.drawdowns.find((d) => d.drawdownId === trigger.drawdownId);
  return drawdown === undefined
    ? trigger
    : { ...trigger, onTime: drawdown.instalments.every((i) => !i.overdue) };
}

/** The instant a decision's change takes effect: now when `date` is today (product zone), else its noon. */
export function changeInstantOf(date: BusinessDate, nowMs: number, timeZone: string): number {
  if (businessDateOfInstant(nowMs, timeZone) === date) return nowMs;
  return startOfBusinessDate(date, timeZone) + noonOffsetMs;
}

/** What the next decision reads from a record (the review reads the same fields straight from the row). */
export function summaryOfRecord(record: DecisionRecord): PreviousDecisionSummary {
  return {
    decisionId: record.decisionId,
    band: record.band,
    applied: record.applied,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    businessDate: record.businessDate,
    lastIncreaseOn: record.history.lastIncreaseOn,
    limitsHeld: record.history.limitsHeld,
    features: record.features,
    bureau: record.bureau,
    versions: record.versions,
    activePlan: record.activePlan ?? null,
  };
}

/**
 * Keeps only what can still be the highest limit of a window: windows end at the decision's date or later and
 * reach back at most `limitsHeldDaysMax` days, so a limit at or below one held on a later (or the same) date, or
 * at or below the current limit (held today, so in every later window; whatever replaces it is entered then as
 * the limit before that change), never is. Sorts in place; dates ascending, limits strictly descending.
 */
function staircase(held: HeldLimit[], currentLimitMinor: number): readonly HeldLimit[] {
  if (held.length > 1) held.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let kept = 0;
  let higher = currentLimitMinor;
  // From the newest: a limit survives when it is above every one held later and above today's.
  for (let i = held.length - 1; i >= 0; i--) {
    const entry = held[i] as HeldLimit;
    if (entry[1] > higher) {
      higher = entry[1];
      held[held.length - 1 - kept] = entry;
      kept++;
    }
  }
  return kept === 0 ? noLimitsHeld : held.slice(held.length - kept);
}

/**
 * The limits held before a decision on `date` that a decrease window may reach: those the previous decision read,
 * the limit its change replaced (on its date), and the limit it left when the line holds another now (a change
 * outside decisions: held at least on that decision's date); pruned to what can still be a window's highest.
 */
export function limitsHeldOf(
  previous: PreviousDecisionSummary | null,
  currentLimitMinor: number,
  date: BusinessDate,
): readonly HeldLimit[] {
  if (previous === null) return noLimitsHeld;
  const recorded = previous.limitsHeld;
  const replaced =
    previous.applied &&
    previous.newLimitMinor !== previous.previousLimitMinor &&
    previous.previousLimitMinor > currentLimitMinor;
  const left = previous.applied && previous.newLimitMinor > currentLimitMinor;
  // The common case on a review's hot path: nothing held, nothing replaced.
  if (!replaced && !left && (recorded === undefined || recorded.length === 0)) return noLimitsHeld;
  const from = date - limitsHeldDaysMax + 1;
  const held: HeldLimit[] = [];
  if (recorded !== undefined) {
    for (let i = 0; i < recorded.length; i++) {
      const entry = recorded[i] as RecordedHeldLimit;
      if (entry[1] <= currentLimitMinor) continue;
      const day = parseDateOrThrow(entry[0], AssertionError);
      if (day >= from) held.push([day, entry[1]]);
    }
  }
  if (replaced || left) {
    const on = parseDateOrThrow(previous.businessDate, AssertionError);
    if (on >= from) {
      if (replaced) held.push([on, previous.previousLimitMinor]);
      if (left) held.push([on, previous.newLimitMinor]);
    }
  }
  return held.length === 0 ? noLimitsHeld : staircase(held, currentLimitMinor);
}

/** Held limits from a record (its "YYYY-MM-DD" dates as business days). */
export function limitsHeldFromRecord(recorded: readonly RecordedHeldLimit[]): HeldLimit[] {
  const out: HeldLimit[] = [];
  for (let i = 0; i < recorded.length; i++) {
    const [text, limitMinor] = recorded[i] as RecordedHeldLimit;
    out.push([parseDateOrThrow(text, AssertionError), limitMinor]);
  }
  return out;
}

/** The previous decision's inputs for attribution: its record's features and bureau, its versions resolved. */
function previousInputsOf(
  previous: PreviousDecisionSummary,
  resolved: ResolvedVersions,
): PreviousDecisionInputs {
  const p = resolved.policy;
  // Every field written out (a spread is slow in V8); the arm is the record's, not the registry's.
  const policy: PolicyInUse = {
    policyId: p.policyId,
    version: p.version,
    arm: previous.versions.arm,
    compiled: p.compiled,
    announcementId: p.announcementId,
  };
  return {
    decisionId: previous.decisionId,
    features: previous.features,
    model: resolved.model,
    policy,
    macro: resolved.macro,
    bureau: previous.bureau,
    newLimitMinor: previous.newLimitMinor,
  };
}

/**
 * A decision's history from the previous one: its band (hysteresis), the last increase applied, its inputs
 * (attribution), the plan in force, and the limits held in reach of a decrease window.
 */
export function historyOf(
  previous: PreviousDecisionSummary | null,
  resolved: ResolvedVersions | null,
  currentLimitMinor: number,
  date: BusinessDate,
): DecisionHistory {
  if (previous === null) {
    return { previousBand: null, lastIncreaseOn: null, previous: null, limitsHeld: noLimitsHeld };
  }
  assert(resolved !== null, "a previous decision's versions are resolved before deciding");
  const increased = previous.applied && previous.newLimitMinor > previous.previousLimitMinor;
  const lastIncrease = increased ? previous.businessDate : previous.lastIncreaseOn;
  return {
    previousBand: previous.band,
    lastIncreaseOn: lastIncrease === null ? null : parseDateOrThrow(lastIncrease, AssertionError),
    previous: previousInputsOf(previous, resolved),
    limitsHeld: limitsHeldOf(previous, currentLimitMinor, date),
    activePlan: previous.activePlan ?? null,
  };
}

/** Everything a decision is asked with besides the line: the caller's trigger, features and versions. */
export interface DecisionRequest {
  readonly decisionId: string;
  readonly customerId: string;
  readonly businessDate: BusinessDate;
  /** As requested: `withOnTime` completes it from the line. */
  readonly trigger: Trigger;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly model: DecisionInputs["model"];
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
  readonly product: ProductTerms;
  /** The customer's latest decision, or null for a first one. */
  readonly previous: PreviousDecisionSummary | null;
  /** The versions `previous` names, resolved (null without a previous decision). */
  readonly previousVersions: ResolvedVersions | null;
}

/** The inputs of the pure `decide` for a request on a line in `state`. */
export function decisionInputsOf(request: DecisionRequest, state: LineState): DecisionInputs {
  return {
    decisionId: request.decisionId,
    customerId: request.customerId,
    lineId: state.lineId,
    businessDate: request.businessDate,
    trigger: withOnTime(request.trigger, state),
    features: request.features,
    bureau: request.bureau,
    model: request.model,
    policy: request.policy,
    macro: request.macro,
    line: lineOf(state),
    history: historyOf(request.previous, request.previousVersions, state.limitMinor, request.businessDate),
    product: request.product,
  };
}

/** A decision applied to its line. */
export interface AppliedDecision {
  readonly record: DecisionRecord;
  /** The line after the limit change and freeze: the state decided on (the same object) when nothing changed. */
  readonly state: LineState;
  readonly entries: readonly Entry[];
  readonly events: readonly LendingEvent[];
}

/** The line refused the decision's limit: nothing is recorded or applied. */
export interface LimitRefusal {
  readonly code: "limit_not_applicable";
  readonly message: string;
  readonly lineId: string;
  /** The lending rejection's code (e.g. `limit_out_of_range`). */
  readonly lendingCode: string;
  /** The record that was not applied, for reports. */
  readonly record: DecisionRecord;
}

const noEntries: readonly Entry[] = Object.freeze([]);
const noEvents: readonly LendingEvent[] = Object.freeze([]);

/** A record applied to the line at `atMs`: a limit change carrying the decision id, then a freeze if asked. */
export function applyDecision(
  state: LineState,
  record: DecisionRecord,
  atMs: number,
  product: Product,
): Result<AppliedDecision, LimitRefusal> {
  let current = state;
  let entries = noEntries;
  let events = noEvents;
  if (record.newLimitMinor !== current.limitMinor) {
    const changed = changeLimit(
      current,
      { newLimitMinor: record.newLimitMinor, decisionId: record.decisionId, atMs },
      product,
    );
    if (!changed.ok) {
      return err({
        code: "limit_not_applicable",
        message: `the line refused limit ${record.newLimitMinor}: ${changed.error.message}`,
        lineId: record.lineId,
        lendingCode: changed.error.code,
        record,
      });
    }
    current = changed.value.state;
    entries = changed.value.entries;
    events = changed.value.events;
  }
  if (record.freeze && current.status === "active") {
    // As ever, a freeze the line does not take is not applied and refuses nothing.
    const frozen = freezeLine(current, { reason: `decision:${record.decisionId}`, atMs }, product);
    if (frozen.ok) {
      current = frozen.value.state;
      entries = entries.length === 0 ? frozen.value.entries : [...entries, ...frozen.value.entries];
      events = events.length === 0 ? frozen.value.events : [...events, ...frozen.value.events];
    }
  }
  return ok({ record, state: current, entries, events });
}

/** The record of a decision on `inputs` (what a dry run returns and replay rebuilds). */
export function recordOf(
  inputs: DecisionInputs,
  meta: { readonly createdAt: string; readonly applied: boolean },
): DecisionRecord {
  return buildRecord(inputs, decide(inputs), meta);
}

/**
 * Decides on `inputs` (made by `decisionInputsOf` from `state`) and applies the record to the line at `atMs`
 * (`changeInstantOf`): the record with the line after it, or the line's refusal.
 */
export function decideAndApply(
  inputs: DecisionInputs,
  state: LineState,
  product: Product,
  meta: { readonly createdAt: string; readonly atMs: number },
): Result<AppliedDecision, LimitRefusal> {
  const record = recordOf(inputs, { createdAt: meta.createdAt, applied: true });
  return applyDecision(state, record, meta.atMs, product);
}
