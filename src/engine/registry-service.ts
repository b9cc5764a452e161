// Registries of the artefacts a decision reads: models (immutable by id and content hash, one active),
// policy versions (immutable; the active set = champion/challenger arms with weights), macro versions
// (immutable; one current) and the announcements that publishing a policy or macro version makes.
// Compiled forms are cached by id@version: safe because every registered version is immutable.

import { err, ok, type Result } from "../kernel/index.js";
import {
  assignArm,
  compileMacro,
  compilePolicy,
  type MacroDoc,
  type PolicyDoc,
  type PolicyProblem,
  validateMacro,
  validatePolicy,
} from "../policy/index.js";
import type { Scorecard } from "../scoring/index.js";
import type { Announcement, PolicyArm, RegistryStore, StoredModel, StoredPolicy } from "./decision-ports.js";
import type { MacroInUse, PolicyInUse } from "./decision-types.js";

/** Compiled artefacts kept in memory per process. */
export const compiledCacheMax = 256;
/** Arms in the active policy set. */
export const policyArmsMax = 8;
/** Upper bound on an arm's weight (weights are relative). */
export const armWeightMax = 1_000_000;
/** The salt of the champion/challenger split: changing it reshuffles every customer. */
export const armSalt = "headroom.arms.v1";

export type RegistryRejection =
  | { readonly code: "policy_invalid"; readonly message: string; readonly problems: readonly PolicyProblem[] }
  | { readonly code: "macro_invalid"; readonly message: string; readonly problems: readonly PolicyProblem[] }
  | { readonly code: "model_invalid"; readonly message: string }
  | { readonly code: "version_conflict"; readonly message: string; readonly subject: string }
  | { readonly code: "model_not_found"; readonly message: string; readonly modelId: string }
  | { readonly code: "invalid_weight"; readonly message: string; readonly weight: number }
  | {
      readonly code: "policy_not_found";
      readonly message: string;
      readonly policyId: string;
      readonly version: number;
    }
  | {
      readonly code: "registry_empty";
      readonly message: string;
      readonly what: "model" | "policy" | "macro";
    };

export interface ResolvedModel {
  readonly modelId: string;
  readonly contentHash: string;
  readonly model: Scorecard;
}

export interface PublishResult {
  readonly subject: string;
  readonly version: number;
  readonly announcementId: string | null;
  /** False when the identical version was already published (nothing changed but pointers). */
  readonly created: boolean;
}

export function policyAnnouncementId(doc: { id: string; version: number }): string {
  return `ann-policy-${doc.id}-v${doc.version}`;
}

export function macroAnnouncementId(doc: { id: string; version: number }): string {
  return `ann-macro-${doc.id}-v${doc.version}`;
}

/** Deterministic arm of a customer (the policy's champion/challenger split over the active arms). */
export function pickArm(customerId: string, arms: readonly PolicyArm[]): PolicyArm {
  const armId = assignArm(customerId, {
    salt: armSalt,
    arms: arms.map((a) => ({ armId: `${a.policyId}@${a.version}`, weight: a.weight })),
  });
  return arms.find((a) => `${a.policyId}@${a.version}` === armId) ?? (arms[0] as PolicyArm);
}

function problemsMessage(problems: readonly PolicyProblem[]): string {
  const first = problems[0];
  return first === undefined
    ? "invalid document"
    : `${problems.length} problem(s); first at ${first.path}: ${first.message}`;
}

export class RegistryService {
  private readonly policies = new Map<string, PolicyInUse>();
  private readonly macros = new Map<string, MacroInUse>();
  private readonly models = new Map<string, ResolvedModel>();

  constructor(
    readonly store: RegistryStore,
    private readonly nowMs: () => number,
  ) {}

  // ─── models ──────────────────────────────────────────────────────────────────────────────────────

  async registerModel(
    model: Scorecard,
    options: { readonly format?: "json" | "pmml"; readonly activate?: boolean } = {},
  ): Promise<Result<{ modelId: string; contentHash: string; created: boolean }, RegistryRejection>> {
    if (
      model?.format !== "headroom.scorecard" ||
      typeof model.modelId !== "string" ||
      model.modelId === "" ||
      typeof model.contentHash !== "string" ||
      model.contentHash === "" ||
      !Array.isArray(model.characteristics)
    ) {
      return err({
        code: "model_invalid",
        message: "not a headroom.scorecard artefact with an id and a hash",
      });
    }
    const atMs = this.nowMs();
    const stored: StoredModel = {
      modelId: model.modelId,
      contentHash: model.contentHash,
      format: options.format ?? "json",
      model,
      registeredMs: atMs,
    };
    const outcome = await this.store.publish({
      model: stored,
      ...(options.activate ? { pointers: { "model.active": model.modelId } } : {}),
      atMs,
    });
    if (outcome === "conflict") {
      return err({
        code: "version_conflict",
        message: `model ${model.modelId} is registered with another content hash (artefacts are immutable)`,
        subject: `model ${model.modelId}`,
      });
    }
    return ok({ modelId: model.modelId, contentHash: model.contentHash, created: outcome === "inserted" });
  }

  async activateModel(modelId: string): Promise<Result<{ modelId: string }, RegistryRejection>> {
    if ((await this.store.getModel(modelId)) === null) {
      return err({ code: "model_not_found", message: `no model ${modelId}`, modelId });
    }
    await this.store.publish({ pointers: { "model.active": modelId }, atMs: this.nowMs() });
    return ok({ modelId });
  }

  async resolveModel(modelId: string): Promise<ResolvedModel | null> {
    const cached = this.models.get(modelId);
    if (cached) return cached;
    const stored = await this.store.getModel(modelId);
    if (!stored) return null;
    const resolved = { modelId: stored.modelId, contentHash: stored.contentHash, model: stored.model };
    this.remember(this.models, modelId, resolved);
    return resolved;
  }

  async activeModel(): Promise<ResolvedModel | null> {
    const id = await this.store.getPointer("model.active");
    return id === null ? null : this.resolveModel(id);
  }

  // ─── policies ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Publishes a policy version with its announcement. Without a weight it becomes the only arm (the new
   * champion); with a weight it joins (or re-weights) the active set as a challenger.
   */
  async publishPolicy(
    document: unknown,
    options: { readonly weight?: number } = {},
  ): Promise<Result<PublishResult, RegistryRejection>> {
    const valid = validatePolicy(document);
    if (!valid.ok) {
      return err({ code: "policy_invalid", message: problemsMessage(valid.error), problems: valid.error });
    }
    const doc = valid.value;
    const weight = options.weight;
    if (weight !== undefined && !(Number.isSafeInteger(weight) && weight > 0 && weight <= armWeightMax)) {
      return err({ code: "invalid_weight", message: `a weight is an integer in 1…${armWeightMax}`, weight });
    }
    const arms = await this.activeArms();
    // A challenger may be another version of the same policy: arms are keyed by id@version.
    const others =
      weight === undefined ? [] : arms.filter((a) => !(a.policyId === doc.id && a.version === doc.version));
    const nextArms: PolicyArm[] = [
      ...others,
      { policyId: doc.id, version: doc.version, weight: weight ?? 1 },
    ];
    const atMs = this.nowMs();
    const announcementId = policyAnnouncementId(doc);
    const stored: StoredPolicy = {
      policyId: doc.id,
      version: doc.version,
      document: doc,
      announcementId,
      publishedMs: atMs,
    };
    const outcome = await this.store.publish({
      policy: stored,
      announcement: announcementOf("policy", `policy ${doc.id}@${doc.version}`, announcementId, doc, atMs),
      pointers: { "policy.arms": JSON.stringify(nextArms.slice(-policyArmsMax)) },
      atMs,
    });
    if (outcome === "conflict") {
      return err({
        code: "version_conflict",
        message: `policy ${doc.id} version ${doc.version} exists with another document; publish a new version`,
        subject: `policy ${doc.id}@${doc.version}`,
      });
    }
    return ok({ subject: doc.id, version: doc.version, announcementId, created: outcome === "inserted" });
  }

  async activeArms(): Promise<PolicyArm[]> {
    const text = await this.store.getPointer("policy.arms");
    return text === null ? [] : (JSON.parse(text) as PolicyArm[]);
  }

  async resolvePolicy(policyId: string, version: number): Promise<PolicyInUse | null> {
    const key = `${policyId}@${version}`;
    const cached = this.policies.get(key);
    if (cached) return cached;
    const stored = await this.store.getPolicy(policyId, version);
    if (!stored) return null;
    const resolved: PolicyInUse = {
      policyId,
      version,
      arm: key,
      compiled: compilePolicy(stored.document),
      announcementId: stored.announcementId,
    };
    this.remember(this.policies, key, resolved);
    return resolved;
  }

  /** The arm a customer falls into, resolved and compiled. */
  async policyFor(customerId: string): Promise<PolicyInUse | null> {
    const arms = await this.activeArms();
    if (arms.length === 0) return null;
    const arm = pickArm(customerId, arms);
    return this.resolvePolicy(arm.policyId, arm.version);
  }

  /** A what-if policy document: validated and compiled, never stored. */
  policyOverride(document: unknown): Result<PolicyInUse, readonly PolicyProblem[]> {
    const valid = validatePolicy(document);
    if (!valid.ok) return err(valid.error);
    return ok({
      policyId: valid.value.id,
      version: valid.value.version,
      arm: "override",
      compiled: compilePolicy(valid.value),
      announcementId: null,
    });
  }

  // ─── macro ───────────────────────────────────────────────────────────────────────────────────────

  async setMacro(document: unknown): Promise<Result<PublishResult, RegistryRejection>> {
    const valid = validateMacro(document);
    if (!valid.ok) {
      return err({ code: "macro_invalid", message: problemsMessage(valid.error), problems: valid.error });
    }
    const doc = valid.value;
    const atMs = this.nowMs();
    const announcementId = macroAnnouncementId(doc);
    const outcome = await this.store.publish({
      macro: { macroId: doc.id, version: doc.version, document: doc, announcementId, publishedMs: atMs },
      announcement: announcementOf("macro", `macro ${doc.id}@${doc.version}`, announcementId, doc, atMs),
      pointers: { "macro.current": `${doc.id}@${doc.version}` },
      atMs,
    });
    if (outcome === "conflict") {
      return err({
        code: "version_conflict",
        message: `macro ${doc.id} version ${doc.version} exists with another document; publish a new version`,
        subject: `macro ${doc.id}@${doc.version}`,
      });
    }
    return ok({ subject: doc.id, version: doc.version, announcementId, created: outcome === "inserted" });
  }

  async resolveMacro(macroId: string, version: number): Promise<MacroInUse | null> {
    const key = `${macroId}@${version}`;
    const cached = this.macros.get(key);
    if (cached) return cached;
    const stored = await this.store.getMacro(macroId, version);
    if (!stored) return null;
    const resolved: MacroInUse = {
      macroId,
      version,
      compiled: compileMacro(stored.document),
      announcementId: stored.announcementId,
    };
    this.remember(this.macros, key, resolved);
    return resolved;
  }

  async currentMacro(): Promise<MacroInUse | null> {
    const pointer = await this.store.getPointer("macro.current");
    if (pointer === null) return null;
    const at = pointer.lastIndexOf("@");
    return this.resolveMacro(pointer.slice(0, at), Number(pointer.slice(at + 1)));
  }

  macroOverride(document: unknown): Result<MacroInUse, readonly PolicyProblem[]> {
    const valid = validateMacro(document);
    if (!valid.ok) return err(valid.error);
    return ok({
      macroId: valid.value.id,
      version: valid.value.version,
      compiled: compileMacro(valid.value),
      announcementId: null,
    });
  }

  // ─── seeding ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * First use: whatever registry is empty gets the shipped default (policy, macro, model, activated).
   * Idempotent; concurrent seeding converges because every row is keyed by id@version.
   */
  async seedDefaults(defaults: {
    readonly policy: unknown;
    readonly macro: unknown;
    readonly model: Scorecard;
  }): Promise<Result<{ seeded: readonly string[] }, RegistryRejection>> {
    const seeded: string[] = [];
    if ((await this.store.getPointer("policy.arms")) === null) {
      const published = await this.publishPolicy(defaults.policy);
      if (!published.ok) return published;
      seeded.push("policy");
    }
    if ((await this.store.getPointer("macro.current")) === null) {
      const published = await this.setMacro(defaults.macro);
      if (!published.ok) return published;
      seeded.push("macro");
    }
    if ((await this.store.getPointer("model.active")) === null) {
      const registered = await this.registerModel(defaults.model, { activate: true });
      if (!registered.ok) return registered;
      seeded.push("model");
    }
    return ok({ seeded });
  }

  private remember<V>(cache: Map<string, V>, key: string, value: V): void {
    if (cache.size >= compiledCacheMax) cache.clear();
    cache.set(key, value);
  }
}

function announcementOf(
  kind: "policy" | "macro",
  subject: string,
  announcementId: string,
  doc: PolicyDoc | MacroDoc,
  atMs: number,
): Announcement {
  return {
    announcementId,
    kind,
    subject,
    title: { "zh-CN": doc.announcement.title["zh-CN"], en: doc.announcement.title.en },
    body: { "zh-CN": doc.announcement.body["zh-CN"], en: doc.announcement.body.en },
    effectiveDate: doc.effectiveFrom,
    publishedMs: atMs,
  };
}
