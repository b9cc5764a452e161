// The decision engine shell: on a trigger, load features, line, registries and the previous decision →
// the shared workflow (decision-workflow.ts: history, the pure `decide`, the record applied to the line) →
// persist the append-only record and the line in one transaction. One decision per trigger id; replay
// recomputes a record from the versions and the history it names.

import * as crypto from "node:crypto";
import { type AnyEvent, type BehaviourEvent, systemEventId } from "../events/index.js";
import { AssertionError, assert, type Clock, err, ok, type Result } from "../kernel/index.js";
import { defaultProduct, type Product } from "../lending/index.js";
import {
  type BusinessDate,
  businessDateOfInstant,
  formatDate,
  formatInstant,
  parseDateOrThrow,
  parseInstant,
} from "../time/index.js";
import { buildRecord, decide } from "./decide.js";
import type { DecisionStore, DecisionUnitOfWork, FeatureSource } from "./decision-ports.js";
import type {
  DecideOptions,
  DecisionEngine,
  DecisionFilter,
  DecisionInputs,
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionRejection,
  FieldDifference,
  MacroInUse,
  PolicyInUse,
  PreviousDecisionInputs,
  ReplayRejection,
  ReplayReport,
  ResolvedVersions,
  Trigger,
  TriggerRequest,
} from "./decision-types.js";
import {
  changeInstantOf,
  type DecisionRequest,
  decideAndApply,
  decisionInputsOf,
  limitsHeldFromRecord,
  productTermsOf,
  recordOf,
  summaryOfRecord,
} from "./decision-workflow.js";
import { businessDateSetting } from "./lending-service.js";
import type { LendingStore } from "./ports.js";
import type { RegistryService } from "./registry-service.js";

/** A borrower may ask for a re-evaluation once per this many seconds. */
export const reevaluationIntervalSeconds = 24 * 3600;
const reevaluationIntervalMs = reevaluationIntervalSeconds * 1000;
/** Differences reported by one replay (the first ones, in field order). */
export const replayDifferencesMax = 100;
/** Length of the hex digest in a decision id. */
const decisionIdHexLength = 16;
/** Width of the creation time in a decision id: milliseconds in base 36, zero-padded (enough until year 5188). */
const decisionIdTimeWidth = 9;

/** Operational failure: the engine cannot decide at all (e.g. an empty registry). */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    readonly code: "registry_empty" | "registry_missing_version" | "line_missing",
    message: string,
  ) {
    super(message);
  }
}

/** SHA-256 of a text as hex: the one-shot `crypto.hash` where Node has it (20.12 on), else a Hash object. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * The decision id of a trigger decided at `atMs`: the creation time, then a digest of the trigger id. Ids sort in
 * the order decisions are made, so a review's records land at the end of the id index instead of on a random
 * page of it each (at a million records that index no longer fits in memory). A retried trigger finds its
 * decision by trigger id, whatever the time.
 */
export function decisionIdOf(triggerId: string, atMs: number): string {
  assert(Number.isSafeInteger(atMs) && atMs >= 0, "a decision is made at a non-negative instant");
  const time = atMs.toString(36).padStart(decisionIdTimeWidth, "0");
  return `dec-${time}${sha256Hex(triggerId).slice(0, decisionIdHexLength)}`;
}

// The workflow's pure helpers, where callers have long imported them from.
export { lineOf, productTermsOf, withOnTime } from "./decision-workflow.js";

/**
 * The trigger id of a borrower's re-evaluation: the customer and the rate-limit window (`reevaluationIntervalMs`
 * long, counted from the epoch) it was decided in. Trigger ids are unique in the decision log, so the database
 * itself refuses a second decision in one window; the window before and after are checked under the line's lock
 * (see `reevaluationRefusal`).
 */
export function reevaluationTriggerId(customerId: string, window: number): string {
  return `reevaluation.requested:${customerId}:borrower:${window}`;
}

/**
 * Why a borrower's re-evaluation at `nowMs` is refused, or null: a decision recorded in this rate-limit window or
 * the one either side less than the interval away. Runs in the decision's write, after the line is locked (the
 * PostgreSQL row lock, or SQLite's write lock), so what it reads cannot change before the insert commits.
 */
async function reevaluationRefusal(
  uow: DecisionUnitOfWork,
  customerId: string,
  nowMs: number,
): Promise<DecisionRejection | null> {
  const window = Math.floor(nowMs / reevaluationIntervalMs);
  let latestMs: number | null = null;
  for (const w of [window - 1, window, window + 1]) {
    const found = await uow.findDecisionByTrigger(reevaluationTriggerId(customerId, w));
    const at = found === null ? null : parseInstant(found.createdAt);
    if (at?.ok && Math.abs(nowMs - at.value) < reevaluationIntervalMs)
      latestMs = Math.max(latestMs ?? 0, at.value);
  }
  if (latestMs === null) return null;
  return {
    code: "reevaluation_rate_limited",
    message: `one re-evaluation per ${reevaluationIntervalSeconds / 3600} h; try again later`,
    retryAfterSeconds: Math.max(1, Math.ceil((latestMs + reevaluationIntervalMs - nowMs) / 1000)),
  };
}

/** JSON value equality by walking both, collecting differing leaf paths. */
export function diffJson(
  recorded: unknown,
  replayed: unknown,
  path = "",
  out: FieldDifference[] = [],
): FieldDifference[] {
  if (out.length >= replayDifferencesMax) return out;
  const bothObjects =
    recorded !== null && replayed !== null && typeof recorded === "object" && typeof replayed === "object";
  if (bothObjects && Array.isArray(recorded) === Array.isArray(replayed)) {
    const a = recorded as Record<string, unknown>;
    const b = replayed as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diffJson(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    return out;
  }
  if (!Object.is(recorded, replayed))
    out.push({ path, recorded: recorded ?? null, replayed: replayed ?? null });
  return out;
}

export interface DecisionEngineOptions {
  readonly decisions: DecisionStore;
  readonly lending: LendingStore;
  readonly registry: RegistryService;
  readonly features: FeatureSource;
  readonly clock: Clock;
  readonly product?: Product;
}

/** What the decision's transaction needs besides the request: the line, the trigger and the instant. */
interface DecisionWrite {
  readonly lineId: string;
  readonly customerId: string;
  readonly trigger: Trigger;
  readonly rateLimited: boolean;
  readonly nowMs: number;
  readonly createdAt: string;
}

export class DefaultDecisionEngine implements DecisionEngine {
  readonly product: Product;
  private readonly decisions: DecisionStore;
  private readonly lending: LendingStore;
  private readonly registry: RegistryService;
  private readonly features: FeatureSource;
  private readonly clock: Clock;

  constructor(options: DecisionEngineOptions) {
    this.decisions = options.decisions;
    this.lending = options.lending;
    this.registry = options.registry;
    this.features = options.features;
    this.clock = options.clock;
    this.product = options.product ?? defaultProduct;
  }

  async decideForCustomer(
    customerId: string,
    request: TriggerRequest,
    options: DecideOptions = {},
  ): Promise<Result<DecisionOutcome, DecisionRejection>> {
    const lineId = await this.decisions.lineOfCustomer(customerId);
    if (lineId === null) {
      return err({ code: "customer_not_found", message: `customer ${customerId} has no line`, customerId });
    }
    const nowMs = this.clock.nowMs();
    const date =
      request.businessDate !== undefined
        ? parseDateOrThrow(request.businessDate, AssertionError)
        : await this.currentBusinessDate();
    // A borrower's re-evaluation is rate-limited: it is recorded under its window's trigger id (one per window,
    // held by the unique trigger id) and refused, not answered with an earlier decision, when one is too recent.
    const trigger = decidedTriggerOf(customerId, request, date, nowMs);
    const rateLimited = isRateLimited(trigger);
    const existing = rateLimited ? null : await this.decisions.findDecisionByTrigger(trigger.triggerId);
    if (existing !== null && options.dryRun !== true) return ok({ record: existing, existing: true });

    if (rateLimited) {
      // Answers a plain repeat before any work; the check that holds under concurrency is in the write below.
      const refused = await this.recentReevaluationRefusal(customerId, trigger.kind, nowMs);
      if (refused !== null) return err(refused);
    }
    const prepared = await this.decisionRequestOf(customerId, date, trigger, nowMs, options);
    if (!prepared.ok) return prepared;
    const createdAt = formatInstant(nowMs, this.product.timeZone);
    if (options.dryRun === true) return this.dryRunDecision(lineId, prepared.value, createdAt);
    const write: DecisionWrite = { lineId, customerId, trigger, rateLimited, nowMs, createdAt };
    return this.decisions.write((uow) => this.writeDecision(uow, write, prepared.value));
  }

  /** A borrower's re-evaluation asked for again within the interval: how long to wait, or null. */
  private async recentReevaluationRefusal(
    customerId: string,
    kind: Trigger["kind"],
    nowMs: number,
  ): Promise<DecisionRejection | null> {
    const last = await this.decisions.latestDecisionBy(customerId, kind, "borrower");
    const lastMs = last === null ? null : parseInstant(last.createdAt);
    if (lastMs?.ok) {
      const waitMs = lastMs.value + reevaluationIntervalMs - nowMs;
      if (waitMs > 0) {
        return {
          code: "reevaluation_rate_limited",
          message: `one re-evaluation per ${reevaluationIntervalSeconds / 3600} h; try again later`,
          retryAfterSeconds: Math.ceil(waitMs / 1000),
        };
      }
    }
    return null;
  }

  /** Everything a decision reads but the line: features, model, policy, macro and the previous decision. */
  private async decisionRequestOf(
    customerId: string,
    date: BusinessDate,
    trigger: Trigger,
    nowMs: number,
    options: DecideOptions,
  ): Promise<Result<DecisionRequest, DecisionRejection>> {
    const policy = this.policyFrom(options, customerId);
    const macro = this.macroFrom(options);
    const [features, model, policyInUse, macroInUse, previousRecord] = await Promise.all([
      this.features.featuresAt(customerId, date),
      this.registry.activeModel(),
      policy,
      macro,
      this.decisions.latestDecision(customerId),
    ]);
    if (!policyInUse.ok) return policyInUse;
    if (!macroInUse.ok) return macroInUse;
    if (model === null) throw new EngineError("registry_empty", "no active model: register and activate one");
    return ok({
      decisionId: decisionIdOf(trigger.triggerId, nowMs),
      customerId,
      businessDate: date,
      trigger,
      features: features.features,
      bureau: features.bureau,
      model: model.model,
      policy: policyInUse.value,
      macro: macroInUse.value,
      product: productTermsOf(this.product),
      previous: previousRecord === null ? null : summaryOfRecord(previousRecord),
      previousVersions: previousRecord === null ? null : await this.versionsOf(previousRecord),
    });
  }

  /** The decision as it would be made on the line now, neither recorded nor applied. */
  private async dryRunDecision(
    lineId: string,
    request: DecisionRequest,
    createdAt: string,
  ): Promise<Result<DecisionOutcome, DecisionRejection>> {
    const stored = await this.lending.getLine(lineId);
    if (stored === null) throw new EngineError("line_missing", `line ${lineId} vanished`);
    if (stored.state.status === "closed") {
      return err({ code: "line_closed", message: `line ${lineId} is closed`, lineId });
    }
    const inputs = decisionInputsOf(request, stored.state);
    return ok({ record: recordOf(inputs, { createdAt, applied: false }), existing: false });
  }

  /**
   * The transaction body: the trigger checked again under the line's lock, the decision made, recorded and
   * applied to the line, and a re-evaluation logged as a limit query.
   */
  private async writeDecision(
    uow: DecisionUnitOfWork,
    write: DecisionWrite,
    request: DecisionRequest,
  ): Promise<Result<DecisionOutcome, DecisionRejection>> {
    const { lineId, customerId, trigger, rateLimited, nowMs, createdAt } = write;
    if (!rateLimited) {
      const again = await uow.findDecisionByTrigger(trigger.triggerId);
      if (again !== null) return ok({ record: again, existing: true });
    }
    const line = await uow.lending.lockLine(lineId);
    if (line === null) throw new EngineError("line_missing", `line ${lineId} vanished`);
    if (line.state.status === "closed") {
      return err({ code: "line_closed", message: `line ${lineId} is closed`, lineId });
    }
    if (rateLimited) {
      const refused = await reevaluationRefusal(uow, customerId, nowMs);
      if (refused !== null) return err(refused);
    }
    const inputs = decisionInputsOf(request, line.state);
    const atMs = changeInstantOf(request.businessDate, nowMs, this.product.timeZone);
    const applied = decideAndApply(inputs, line.state, this.product, { createdAt, atMs });
    if (!applied.ok) {
      // The policy's limit must fit the product; if it does not, nothing is recorded or applied.
      const { code, message, lendingCode } = applied.error;
      return err({ code, message, lineId, lendingCode });
    }
    const { record, state, entries, events } = applied.value;
    await uow.insertDecision(record);
    if (state !== line.state) {
      await uow.lending.updateLine(state, line.version);
      if (entries.length > 0) await uow.lending.appendEntries(lineId, entries);
      await uow.lending.appendEvents(events, this.product.timeZone);
    }
    if (rateLimited) {
      // The request itself counts as a limit query for later decisions (DESIGN.md).
      const event: BehaviourEvent = {
        eventId: systemEventId(`reeval:${trigger.triggerId}`),
        customerId,
        type: "reevaluation.requested",
        occurredAt: record.createdAt,
        payload: {},
      };
      await uow.appendBehaviourEvents([event]);
    }
    return ok({ record, existing: false });
  }

  async handleLendingEvents(events: readonly AnyEvent[]): Promise<DecisionRecord[]> {
    const records: DecisionRecord[] = [];
    for (const event of events) {
      if (event.type !== "repayment.settled") continue;
      const decided = await this.decideForCustomer(event.customerId, {
        kind: "repayment.settled",
        triggerId: `repayment.settled:${event.eventId}`,
        businessDate: event.payload.settledOn,
        sourceEventId: event.eventId,
        drawdownId: event.payload.drawdownId,
        actor: "system",
      });
      if (decided.ok) records.push(decided.value.record);
    }
    return records;
  }

  /** `handleLendingEvents` for the event ids a lending receipt lists (e.g. after a repayment). */
  async handleLendingEventIds(eventIds: readonly string[]): Promise<DecisionRecord[]> {
    return this.handleLendingEvents(await this.decisions.eventsByIds(eventIds));
  }

  async handleBehaviourEvent(event: AnyEvent): Promise<DecisionRecord | null> {
    if (event.type !== "verification.completed" && event.type !== "bureau.reported") return null;
    const instant = parseInstant(event.occurredAt);
    if (!instant.ok) return null;
    const decided = await this.decideForCustomer(event.customerId, {
      kind: event.type,
      triggerId: `${event.type}:${event.eventId}`,
      businessDate: formatDate(businessDateOfInstant(instant.value, this.product.timeZone)),
      sourceEventId: event.eventId,
      actor: "system",
    });
    return decided.ok ? decided.value.record : null;
  }

  async replay(decisionId: string): Promise<Result<ReplayReport, ReplayRejection>> {
    const record = await this.decisions.getDecision(decisionId);
    if (record === null) {
      return err({ code: "decision_not_found", message: `no decision ${decisionId}`, decisionId });
    }
    const inputs = await this.inputsOf(record);
    const result = decide(inputs);
    const rebuilt = buildRecord(inputs, result, { createdAt: record.createdAt, applied: record.applied });
    // A record of the earlier form kept the scorecard's contributions with its score: they are checked too.
    const replayed = "contributions" in record.score ? { ...rebuilt, score: result.score } : rebuilt;
    const differences = diffJson(record, JSON.parse(JSON.stringify(replayed)));
    return ok({ decisionId, identical: differences.length === 0, differences });
  }

  getDecision(decisionId: string): Promise<DecisionRecord | null> {
    return this.decisions.getDecision(decisionId);
  }

  latestDecision(customerId: string): Promise<DecisionRecord | null> {
    return this.decisions.latestDecision(customerId);
  }

  listDecisions(filter: DecisionFilter = {}): Promise<DecisionPage> {
    return this.decisions.listDecisions(filter);
  }

  /** The store's business date, else today in the product's zone. */
  async currentBusinessDate(): Promise<BusinessDate> {
    const text = await this.lending.getSetting(businessDateSetting);
    return text !== null
      ? parseDateOrThrow(text, AssertionError)
      : businessDateOfInstant(this.clock.nowMs(), this.product.timeZone);
  }

  /** The inputs a record was decided on, rebuilt from the versions it names (never the active ones). */
  async inputsOf(record: DecisionRecord): Promise<DecisionInputs> {
    const { model, policy, macro } = await this.versionsOf(record);
    const previous =
      record.history.previousDecisionId === null
        ? null
        : await this.previousInputsOf(await this.decisions.getDecision(record.history.previousDecisionId));
    return {
      decisionId: record.decisionId,
      customerId: record.customerId,
      lineId: record.lineId,
      businessDate: parseDateOrThrow(record.businessDate, AssertionError),
      trigger: record.triggerDetail,
      features: record.features,
      bureau: record.bureau,
      model,
      policy,
      macro,
      line: { ...record.line, openedOn: parseDateOrThrow(record.line.openedOn, AssertionError) },
      history: {
        previousBand: record.history.previousBand,
        lastIncreaseOn:
          record.history.lastIncreaseOn === null
            ? null
            : parseDateOrThrow(record.history.lastIncreaseOn, AssertionError),
        previous,
        ...(record.history.limitsHeld === undefined
          ? {}
          : { limitsHeld: limitsHeldFromRecord(record.history.limitsHeld) }),
        activePlan: record.history.activePlan ?? null,
      },
      product: record.product,
    };
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  private async policyFrom(
    options: DecideOptions,
    customerId: string,
  ): Promise<Result<PolicyInUse, DecisionRejection>> {
    if (options.policyOverride !== undefined) {
      const compiled = this.registry.policyOverride(options.policyOverride);
      return compiled.ok
        ? compiled
        : err({
            code: "override_invalid",
            message: "the policy override is invalid",
            problems: compiled.error,
          });
    }
    const policy = await this.registry.policyFor(customerId);
    if (policy === null) throw new EngineError("registry_empty", "no active policy: publish one");
    return ok(policy);
  }

  private async macroFrom(options: DecideOptions): Promise<Result<MacroInUse, DecisionRejection>> {
    if (options.macroOverride !== undefined) {
      const compiled = this.registry.macroOverride(options.macroOverride);
      return compiled.ok
        ? compiled
        : err({
            code: "override_invalid",
            message: "the macro override is invalid",
            problems: compiled.error,
          });
    }
    const macro = await this.registry.currentMacro();
    if (macro === null) throw new EngineError("registry_empty", "no current macro settings: set them");
    return ok(macro);
  }

  private async versionsOf(record: DecisionRecord): Promise<ResolvedVersions> {
    const v = record.versions;
    const model = await this.registry.resolveModel(v.modelId);
    const policy = await this.registry.resolvePolicy(v.policyId, v.policyVersion);
    const macro = await this.registry.resolveMacro(v.macroId, v.macroVersion);
    if (model === null || model.contentHash !== v.modelHash || policy === null || macro === null) {
      throw new EngineError(
        "registry_missing_version",
        `decision ${record.decisionId} names a model/policy/macro version the registry lacks`,
      );
    }
    return { model: model.model, policy: { ...policy, arm: v.arm }, macro };
  }

  private async previousInputsOf(record: DecisionRecord | null): Promise<PreviousDecisionInputs | null> {
    if (record === null) return null;
    const { model, policy, macro } = await this.versionsOf(record);
    return {
      decisionId: record.decisionId,
      features: record.features,
      model,
      policy,
      macro,
      bureau: record.bureau,
      newLimitMinor: record.newLimitMinor,
    };
  }
}

/** The trigger id and detail for a request: deterministic from the request, the business date and the time. */
export function triggerOf(
  customerId: string,
  request: TriggerRequest,
  date: BusinessDate,
  nowMs: number,
): Trigger {
  const actor = request.actor ?? "system";
  const cause = request.sourceEventId ?? request.reviewId ?? `${formatDate(date)}@${nowMs}`;
  return {
    triggerId: request.triggerId ?? `${request.kind}:${customerId}:${cause}`,
    kind: request.kind,
    actor,
    ...(request.onTime === undefined ? {} : { onTime: request.onTime }),
    ...(request.sourceEventId === undefined ? {} : { sourceEventId: request.sourceEventId }),
    ...(request.reviewId === undefined ? {} : { reviewId: request.reviewId }),
    ...(request.drawdownId === undefined ? {} : { drawdownId: request.drawdownId }),
  };
}

/** Whether a trigger is a borrower's own re-evaluation request (rate-limited, and never lowering the limit). */
export function isRateLimited(trigger: Trigger): boolean {
  return trigger.kind === "reevaluation.requested" && trigger.actor === "borrower";
}

/**
 * The trigger as the engine records it: `triggerOf`, and for a borrower's re-evaluation its rate-limit window's
 * id (`reevaluationTriggerId`), so that the unique trigger id holds one per window.
 */
export function decidedTriggerOf(
  customerId: string,
  request: TriggerRequest,
  date: BusinessDate,
  nowMs: number,
): Trigger {
  const requested = triggerOf(customerId, request, date, nowMs);
  if (!isRateLimited(requested)) return requested;
  const window = Math.floor(nowMs / reevaluationIntervalMs);
  return { ...requested, triggerId: reevaluationTriggerId(customerId, window) };
}
