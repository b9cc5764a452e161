// Ports of the decision engine, implemented by adapters in src/store: decision records (append-only,
// unique per trigger id), the model / policy / macro registries with announcements, and feature reads.
// A decision and its application to the line commit in one unit of work (the lending block's, extended).

import type { AnyEvent, BehaviourEvent } from "../events/index.js";
import type { BureauFigures, FeatureVector, MacroDoc, PolicyDoc } from "../policy/index.js";
import type { Scorecard } from "../scoring/index.js";
import type { DecisionFilter, DecisionPage, DecisionRecord } from "./decision-types.js";
import type { LendingUnitOfWork } from "./ports.js";

/** The writes of one decision: the lending unit of work plus the decision log, all or nothing. */
export interface DecisionUnitOfWork {
  readonly lending: LendingUnitOfWork;
  findDecisionByTrigger(triggerId: string): Promise<DecisionRecord | null>;
  /** Appends a record; a concurrent insert of the same trigger id makes the whole transaction retry. */
  insertDecision(record: DecisionRecord): Promise<void>;
  /** Appends behaviour events (the operator's or borrower's `reevaluation.requested`) to the log and features. */
  appendBehaviourEvents(events: readonly BehaviourEvent[]): Promise<void>;
}

export interface DecisionStore {
  /** One write transaction (retried on lost races: `fn` must have no outside effects). */
  write<T>(fn: (uow: DecisionUnitOfWork) => Promise<T>): Promise<T>;
  /** Events from the log by id (those that exist), in log order: e.g. the ids a lending receipt lists. */
  eventsByIds(eventIds: readonly string[]): Promise<AnyEvent[]>;
  /** The customer's open (not closed) line id, or null. */
  lineOfCustomer(customerId: string): Promise<string | null>;
  getDecision(decisionId: string): Promise<DecisionRecord | null>;
  findDecisionByTrigger(triggerId: string): Promise<DecisionRecord | null>;
  latestDecision(customerId: string): Promise<DecisionRecord | null>;
  /** The latest decision of a customer for a trigger kind made by an actor (rate limits). */
  latestDecisionBy(
    customerId: string,
    kind: DecisionRecord["trigger"],
    actor: DecisionRecord["triggerDetail"]["actor"],
  ): Promise<DecisionRecord | null>;
  /** Newest first. */
  listDecisions(filter: DecisionFilter): Promise<DecisionPage>;
  countDecisions(): Promise<number>;
}

/** A registered model artefact (immutable: one id, one content hash, forever). */
export interface StoredModel {
  readonly modelId: string;
  readonly contentHash: string;
  /** "json" or "pmml": what the operator registered (the artefact is always stored as the JSON card). */
  readonly format: "json" | "pmml";
  readonly model: Scorecard;
  readonly registeredMs: number;
}

export interface StoredPolicy {
  readonly policyId: string;
  readonly version: number;
  readonly document: PolicyDoc;
  readonly announcementId: string | null;
  readonly publishedMs: number;
}

export interface StoredMacro {
  readonly macroId: string;
  readonly version: number;
  readonly document: MacroDoc;
  readonly announcementId: string | null;
  readonly publishedMs: number;
}

/** One arm of the active policy set: champion/challenger split by weight. */
export interface PolicyArm {
  readonly policyId: string;
  readonly version: number;
  /** Positive integer weight; a customer's arm is drawn by hash in proportion to weights. */
  readonly weight: number;
}

export type AnnouncementKind = "policy" | "macro";

export interface Announcement {
  readonly announcementId: string;
  readonly kind: AnnouncementKind;
  /** What it announces, e.g. "policy default@3" or "macro default@2". */
  readonly subject: string;
  readonly title: { readonly "zh-CN": string; readonly en: string };
  readonly body: { readonly "zh-CN": string; readonly en: string };
  /** "YYYY-MM-DD" */
  readonly effectiveDate: string;
  readonly publishedMs: number;
}

export type PutOutcome = "inserted" | "exists" | "conflict";

export interface RegistryStore {
  getModel(modelId: string): Promise<StoredModel | null>;
  /** Same id and hash again: "exists"; same id with another hash: "conflict" (artefacts are immutable). */
  putModel(model: StoredModel): Promise<PutOutcome>;
  listModels(): Promise<readonly Omit<StoredModel, "model">[]>;
  getPolicy(policyId: string, version: number): Promise<StoredPolicy | null>;
  listPolicies(): Promise<readonly StoredPolicy[]>;
  getMacro(macroId: string, version: number): Promise<StoredMacro | null>;
  listMacros(): Promise<readonly StoredMacro[]>;
  getAnnouncement(announcementId: string): Promise<Announcement | null>;
  listAnnouncements(): Promise<readonly Announcement[]>;
  getPointer(name: RegistryPointer): Promise<string | null>;
  /**
   * Publishes in one transaction: optional new immutable rows, their announcement, and pointer moves.
   * A policy/macro version that exists with another document is a conflict (nothing written).
   */
  publish(change: RegistryChange): Promise<PutOutcome>;
}

export type RegistryPointer = "model.active" | "macro.current" | "policy.arms";

export interface RegistryChange {
  readonly model?: StoredModel;
  readonly policy?: StoredPolicy;
  readonly macro?: StoredMacro;
  readonly announcement?: Announcement;
  readonly pointers?: Readonly<Partial<Record<RegistryPointer, string>>>;
  readonly atMs: number;
}

/** What the features engine knows about a customer as of a business date. */
export interface FeatureSnapshot {
  readonly features: FeatureVector;
  /** The latest bureau report's income and external debt, or null if none. */
  readonly bureau: BureauFigures | null;
}

export interface FeatureSource {
  /** Features as of business date `date` (epoch day), from the feature state kept with the event log. */
  featuresAt(customerId: string, date: number): Promise<FeatureSnapshot>;
}
