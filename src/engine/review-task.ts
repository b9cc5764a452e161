// One review task, as a worker thread or the in-process computer runs it: the partition's inputs loaded (by the
// store), the versions they involve resolved from the registry and cached for the run, every line computed with
// the pure review functions (review-compute.ts), and an apply task's decisions committed through the review
// store.

import { assert, assertNever } from "../kernel/index.js";
import type { Product } from "../lending/index.js";
import { businessDate, parseDateOrThrow } from "../time/index.js";
import type { MacroInUse, PolicyInUse, RecordedVersions, ResolvedVersions } from "./decision-types.js";
import { pickArm, type RegistryService, type ResolvedModel } from "./registry-service.js";
import {
  decideReviewLine,
  proposeReviewLine,
  type ReviewContext,
  reviewClockOf,
  versionsKey,
  whatIfReviewLine,
} from "./review-compute.js";
import type {
  PinnedVersions,
  ReviewKind,
  ReviewLineInput,
  ReviewLineOutput,
  ReviewPartition,
  ReviewStore,
  ReviewTask,
  ReviewTaskResult,
} from "./review-types.js";

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

/** Loads a partition's lines with their inputs as of `date` (epoch day); `reviewId` names the run's caps. */
export type PartitionLoader = (
  partition: ReviewPartition,
  date: number,
  reviewId: string | null,
) => Promise<ReviewLineInput[]>;

/** What a task runs against: the partition loader and review store of one database, and the registry. */
export interface ReviewTaskDeps {
  readonly load: PartitionLoader;
  readonly resolver: ReviewResolver;
  readonly registry: RegistryService;
  readonly product: Product;
  readonly reviews: ReviewStore;
}

/**
 * Runs one task: load (in one read snapshot), resolve, compute; an apply task then commits its decisions through
 * `reviews`, in a transaction of its own. Worker threads and the in-process computer share this code.
 */
export async function runReviewTask(task: ReviewTask, deps: ReviewTaskDeps): Promise<ReviewTaskResult> {
  const { resolver, registry, product, reviews } = deps;
  const date = parseDateOrThrow(task.businessDate);
  const reviewId = task.mode === "what-if" ? null : task.reviewId;
  const inputs = await deps.load(task.partition, date, reviewId);
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
