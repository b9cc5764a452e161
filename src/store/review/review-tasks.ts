// Runs one review task against a database: bulk-loads a partition's inputs in one read snapshot (lines, each
// customer's events rebuilt into features exactly as the engine's feature source does — with the instants and
// business dates the log keeps for them —, the latest decision, the budget cap), resolves the versions
// involved, and computes with the engine's pure review functions.
// Worker threads and the in-process computer share this code.

import {
  decideReviewLine,
  type MacroInUse,
  type PinnedVersions,
  type PolicyInUse,
  type PreviousDecisionSummary,
  pickArm,
  proposeReviewLine,
  type RecordedVersions,
  type RegistryService,
  type ResolvedModel,
  type ResolvedVersions,
  type ReviewContext,
  type ReviewKind,
  type ReviewLineInput,
  type ReviewLineOutput,
  type ReviewPartition,
  type ReviewStore,
  type ReviewTask,
  type ReviewTaskResult,
  reviewClockOf,
  versionsKey,
  whatIfReviewLine,
} from "../../engine/index.js";
import type { AnyEvent } from "../../events/index.js";
import { type DatedEvent, featuresAt, rebuildFromDated } from "../../features/index.js";
import { assert, assertNever } from "../../kernel/index.js";
import type { LineState, Product } from "../../lending/index.js";
import type { BureauFigures } from "../../policy/index.js";
import { businessDate, parseDateOrThrow } from "../../time/index.js";
import { customerEventsMax } from "../adapters/decision-feature-source.js";
import { type DecisionSummaryRow, summaryOf, summarySelect } from "../records/decision-summary.js";
import type { Db, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";

/** An event of the log with the instant and business date the log keeps for it. */
type DatedLogEvent = DatedEvent & { readonly eventId: string };

/** Customer ids per `IN (…)` list. */
export const reviewInClauseMax = 500;

interface LineRow {
  line_id: string;
  customer_id: string;
  version: number;
  state: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A customer's events as one JSON array of [event_id, type, occurred_at, payload, occurred_ms, business_date]:
 * the log's own instant and business date of each event spare parsing occurred_at again. SQLite aggregates them
 * in the order of the index the query walks (customer, instant), which `inLogOrder` checks and mends: sorting
 * them inside the aggregate cost a sort per customer.
 */
function eventsAggregate(tx: Tx): string {
  return tx.sql.jsonArrayAgg(
    ["event_id", "type", "occurred_at", tx.sql.jsonParse("payload"), "occurred_ms", "business_date"],
    `occurred_ms, ${tx.sql.binary("event_id")}`,
  );
}

export type PackedEvent = [string, string, string, unknown, number, number];

/** Log order: by instant, then by event id as bytes (SQLite's BINARY collation, `binary` on PostgreSQL). */
function compareLogOrder(a: PackedEvent, b: PackedEvent): number {
  return Number(a[4]) - Number(b[4]) || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

/** The packed events in log order (already so, as a rule: then as they are). */
export function inLogOrder(packed: PackedEvent[]): PackedEvent[] {
  for (let i = 1; i < packed.length; i++) {
    if (compareLogOrder(packed[i - 1] as PackedEvent, packed[i] as PackedEvent) > 0) {
      return packed.sort(compareLogOrder);
    }
  }
  return packed;
}

/** A partition's open lines with their inputs, read in one snapshot. */
export async function loadPartitionInputs(
  tx: Tx,
  partition: ReviewPartition,
  date: number,
  reviewId: string | null,
): Promise<ReviewLineInput[]> {
  const lines = await tx.all<LineRow>(
    `SELECT line_id, customer_id, version, state FROM lines
      WHERE line_id >= ? AND line_id <= ? AND status <> 'closed' ORDER BY line_id`,
    [partition.firstLineId, partition.lastLineId],
  );
  const customers = lines.map((l) => l.customer_id);
  const events = new Map<string, DatedLogEvent[]>();
  const previous = new Map<string, PreviousDecisionSummary>();
  for (const ids of chunks(customers, reviewInClauseMax)) {
    // One row per customer, its events already in log order as one JSON array: far fewer rows to step through
    // and build objects for than one row per event.
    const rows = await tx.all<{ customer_id: string; events: string }>(
      `SELECT customer_id, ${eventsAggregate(tx)} AS events FROM events
        WHERE customer_id IN (${placeholders(ids.length)}) AND business_date <= ? GROUP BY customer_id`,
      [...ids, date],
    );
    for (const r of rows) {
      const packed = inLogOrder(JSON.parse(r.events) as PackedEvent[]);
      // The engine's feature source reads at most this many events per customer, oldest first.
      const list: DatedLogEvent[] = [];
      for (let i = 0; i < packed.length && i < customerEventsMax; i++) {
        const [eventId, type, occurredAt, payload, occurredMs, day] = packed[i] as PackedEvent;
        const event = { eventId, customerId: r.customer_id, type, occurredAt, payload } as AnyEvent;
        list.push({ event, eventId, occurredAtMs: Number(occurredMs), businessDate: Number(day) });
      }
      events.set(r.customer_id, list);
    }
    const decided = await tx.all<DecisionSummaryRow & { customer_id: string }>(
      `SELECT d.customer_id, ${summarySelect(tx.sql, "d")} FROM decisions d
        WHERE d.customer_id IN (${placeholders(ids.length)})
          AND d.seq = (SELECT MAX(x.seq) FROM decisions x WHERE x.customer_id = d.customer_id)`,
      ids,
    );
    for (const r of decided) previous.set(r.customer_id, summaryOf(r));
  }
  const caps = new Map<string, number>();
  if (reviewId !== null) {
    const rows = await tx.all<{ line_id: string; cap_minor: number }>(
      `SELECT line_id, cap_minor FROM review_caps WHERE review_id = ? AND line_id >= ? AND line_id <= ?`,
      [reviewId, partition.firstLineId, partition.lastLineId],
    );
    for (const r of rows) caps.set(r.line_id, Number(r.cap_minor));
  }
  return lines.map((l) => {
    const list = events.get(l.customer_id) ?? [];
    let bureau: BureauFigures | null = null;
    for (let i = list.length - 1; i >= 0; i--) {
      const event = (list[i] as DatedLogEvent).event;
      if (event.type === "bureau.reported") {
        bureau = {
          monthlyIncomeMinor: event.payload.monthlyIncomeMinor,
          externalDebtMinor: event.payload.externalDebtMinor,
        };
        break;
      }
    }
    return {
      customerId: l.customer_id,
      lineId: l.line_id,
      state: JSON.parse(l.state) as LineState,
      version: Number(l.version),
      features: featuresAt(rebuildFromDated(list), businessDate(date)),
      bureau,
      previous: previous.get(l.customer_id) ?? null,
      capMinor: caps.get(l.line_id) ?? null,
    };
  });
}

/** Resolves and caches what a run's tasks need from the registry. */
export class ReviewResolver {
  private readonly resolved = new Map<string, ResolvedVersions>();
  private readonly pinnedPolicies = new Map<string, PolicyInUse>();

  constructor(private readonly registry: RegistryService) {}

  async model(modelId: string): Promise<ResolvedModel> {
    const model = await this.registry.resolveModel(modelId);
    assert(model !== null, `model ${modelId} pinned by a review is registered`);
    return model;
  }

  async macro(macroId: string, version: number): Promise<MacroInUse> {
    const macro = await this.registry.resolveMacro(macroId, version);
    assert(macro !== null, `macro ${macroId}@${version} pinned by a review is registered`);
    return macro;
  }

  async policies(pinned: PinnedVersions): Promise<(customerId: string) => PolicyInUse> {
    for (const arm of pinned.arms) {
      const key = `${arm.policyId}@${arm.version}`;
      if (this.pinnedPolicies.has(key)) continue;
      const policy = await this.registry.resolvePolicy(arm.policyId, arm.version);
      assert(policy !== null, `policy ${key} pinned by a review is registered`);
      this.pinnedPolicies.set(key, policy);
    }
    return (customerId) => {
      const arm = pickArm(customerId, pinned.arms);
      return this.pinnedPolicies.get(`${arm.policyId}@${arm.version}`) as PolicyInUse;
    };
  }

  /** Resolves every previous decision's versions among `inputs`; then `get` answers synchronously. */
  async prepare(inputs: readonly ReviewLineInput[]): Promise<void> {
    for (const input of inputs) {
      const v = input.previous?.versions;
      if (v === undefined) continue;
      const key = versionsKey(v);
      if (this.resolved.has(key)) continue;
      const model = await this.registry.resolveModel(v.modelId);
      const policy = await this.registry.resolvePolicy(v.policyId, v.policyVersion);
      const macro = await this.registry.resolveMacro(v.macroId, v.macroVersion);
      assert(
        model !== null && model.contentHash === v.modelHash && policy !== null && macro !== null,
        `a previous decision names versions the registry lacks (${key})`,
      );
      this.resolved.set(key, { model: model.model, policy, macro });
    }
  }

  get = (versions: RecordedVersions): ResolvedVersions => {
    const found = this.resolved.get(versionsKey(versions));
    assert(found !== undefined, "previous versions are resolved before computing");
    return found;
  };
}

/**
 * Runs one task: load in a read snapshot, resolve, compute; an apply task then commits its decisions through
 * `reviews` (a store over the same database), in a transaction of its own.
 */
export async function runReviewTask(
  db: Db,
  resolver: ReviewResolver,
  registry: RegistryService,
  product: Product,
  task: ReviewTask,
  reviews: ReviewStore,
): Promise<ReviewTaskResult> {
  const date = parseDateOrThrow(task.businessDate);
  const reviewId = task.mode === "what-if" ? null : task.reviewId;
  const inputs = await db.read((tx) => loadPartitionInputs(tx, task.partition, date, reviewId));
  await resolver.prepare(inputs);
  const pinnedPolicyFor = await resolver.policies(task.pinned);
  let policyFor = pinnedPolicyFor;
  let macro: MacroInUse = await resolver.macro(task.pinned.macroId, task.pinned.macroVersion);
  if (task.mode === "what-if") {
    if (task.policyDocument !== undefined) {
      const candidate = registry.policyOverride(task.policyDocument);
      assert(candidate.ok, "a what-if policy is validated before its tasks run");
      policyFor = () => candidate.value;
    }
    if (task.macroDocument !== undefined) {
      const candidate = registry.macroOverride(task.macroDocument);
      assert(candidate.ok, "a what-if macro is validated before its tasks run");
      macro = candidate.value;
    }
  }
  const kind: ReviewKind = task.mode === "what-if" ? "review.periodic" : task.kind;
  const ctx: ReviewContext = {
    reviewId,
    kind,
    businessDate: businessDate(date),
    model: await resolver.model(task.pinned.modelId),
    policyFor,
    macro,
    product,
    resolve: resolver.get,
    clock: reviewClockOf(task.nowMs, businessDate(date), product),
  };
  switch (task.mode) {
    case "apply": {
      // A line that refuses its decision's limit is left undecided, as the single decision leaves it: nothing
      // is recorded or applied for it, and the rest of the partition commits.
      const outputs: ReviewLineOutput[] = [];
      for (const line of inputs) {
        const decided = decideReviewLine(ctx, line);
        if (decided.ok) outputs.push(decided.value);
      }
      const commit = await reviews.commitPartition(
        task.reviewId,
        task.partition,
        outputs,
        task.nowMs,
        task.attemptsMax,
      );
      return { mode: "apply", commit };
    }
    case "propose":
      return { mode: "propose", proposals: inputs.map((line) => proposeReviewLine(ctx, line)) };
    case "what-if":
      return { mode: "what-if", lines: inputs.map((line) => whatIfReviewLine(ctx, line)) };
    default:
      return assertNever(task);
  }
}
