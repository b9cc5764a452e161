// The HTTP API's read model: every read a route makes, by name, each in one consistent snapshot of the store.
// Routes call these (through `ApiContext.reads`) and never see SQL, a transaction or `db.read`.

import type { Announcement } from "../../engine/index.js";
import type { AnyEvent } from "../../events/index.js";
import {
  type AuditEntry,
  listAudit,
  listSubscriptions,
  type WebhookSubscription,
} from "../adapters/api-store.js";
import { announcementsNewestFirst } from "../adapters/registry-store.js";
import type { Db } from "../sql/db.js";
import { chunksOf } from "../sql/statements.js";
import {
  type CustomerLineRow,
  type EventSourceCount,
  eventSourcesThrough,
  eventsByIds,
  type LimitInputEvent,
  lineOfCustomer,
  listCustomerLines,
} from "./api-queries.js";
import { type ModelDecisionRow, modelDecisionRows } from "./monitoring-queries.js";
import {
  type DelinquencyFact,
  type DelinquencyFacts,
  delinquencyFacts,
  latestReasonCounts,
  latestScoreCounts,
  lineOpeningsAndClosings,
  type PortfolioAggregates,
  type PromiseLifts,
  portfolioAggregates,
  promiseLifts,
} from "./portfolio-queries.js";

/** Customers per IN (...) list when reading their delinquency facts. */
export const customerChunkMax = 500;

/** What the portfolio summary is computed from, read in one snapshot. */
export interface PortfolioSnapshot {
  readonly aggregates: PortfolioAggregates;
  readonly scores: readonly { readonly score: number; readonly count: number }[];
  readonly reasons: readonly { readonly code: string; readonly count: number }[];
  readonly delinquency: DelinquencyFacts;
  readonly lineDates: Awaited<ReturnType<typeof lineOpeningsAndClosings>>;
  readonly promiseLifts: PromiseLifts;
}

/** A window of decision days (epoch days, both ends included) and the most rows read from it. */
export interface DayWindow {
  readonly fromDay: number;
  readonly toDay: number;
  readonly limit: number;
}

/** A model's decisions in a recent window and in each month, and the delinquency facts of the months' customers. */
export interface ModelMonitoringSnapshot {
  /** Newest first. */
  readonly recent: readonly ModelDecisionRow[];
  /** One list per requested month, newest first within it. */
  readonly byMonth: readonly (readonly ModelDecisionRow[])[];
  /** In log order per customer. */
  readonly delinquency: readonly DelinquencyFact[];
}

export interface ApiReadModel {
  /** Answers once the store answers a trivial query; throws (a StoreError or the driver's) when it does not. */
  ping(): Promise<void>;
  /** The customer's open line, else their most recently updated closed one. */
  lineOfCustomer(customerId: string): Promise<string | null>;
  customerLines(options: {
    afterCustomerId: string | null;
    limit: number;
    status: string | null;
  }): Promise<CustomerLineRow[]>;
  eventsByIds(eventIds: readonly string[]): Promise<AnyEvent[]>;
  announcements(limit: number): Promise<Announcement[]>;
  auditPage(limit: number, beforeId: number | null): Promise<AuditEntry[]>;
  webhookSubscriptions(limit: number): Promise<WebhookSubscription[]>;
  eventSources(
    customerId: string,
    throughDay: number,
    throughMs: number,
  ): Promise<{ counts: EventSourceCount[]; limitInputs: LimitInputEvent[] }>;
  portfolioSnapshot(): Promise<PortfolioSnapshot>;
  modelMonitoring(query: {
    modelId: string;
    recent: DayWindow;
    months: readonly DayWindow[];
  }): Promise<ModelMonitoringSnapshot>;
}

export function createApiReadModel(db: Db): ApiReadModel {
  return {
    async ping() {
      await db.read((tx) => tx.get("SELECT 1 AS one"));
    },
    lineOfCustomer: (customerId) => db.read((tx) => lineOfCustomer(tx, customerId)),
    customerLines: (options) => db.read((tx) => listCustomerLines(tx, options)),
    eventsByIds: (eventIds) => db.read((tx) => eventsByIds(tx, eventIds)),
    announcements: (limit) => db.read((tx) => announcementsNewestFirst(tx, limit)),
    auditPage: (limit, beforeId) => db.read((tx) => listAudit(tx, limit, beforeId)),
    webhookSubscriptions: (limit) => db.read((tx) => listSubscriptions(tx, limit)),
    eventSources: (customerId, throughDay, throughMs) =>
      db.read((tx) => eventSourcesThrough(tx, customerId, throughDay, throughMs)),
    portfolioSnapshot: () =>
      db.read(async (tx) => ({
        aggregates: await portfolioAggregates(tx),
        scores: await latestScoreCounts(tx),
        reasons: await latestReasonCounts(tx),
        delinquency: await delinquencyFacts(tx),
        lineDates: await lineOpeningsAndClosings(tx),
        promiseLifts: await promiseLifts(tx),
      })),
    modelMonitoring: ({ modelId, recent, months }) =>
      db.read(async (tx) => {
        const window = (w: DayWindow) => modelDecisionRows(tx, { modelId, ...w });
        const recentRows = await window(recent);
        const byMonth: ModelDecisionRow[][] = [];
        for (const m of months) byMonth.push(await window(m));
        const customers = [...new Set(byMonth.flatMap((rows) => rows.map((r) => r.customerId)))];
        const delinquency: DelinquencyFact[] = [];
        for (const chunk of chunksOf(customers, customerChunkMax)) {
          const { facts } = await delinquencyFacts(tx, chunk);
          delinquency.push(...facts);
        }
        return { recent: recentRows, byMonth, delinquency };
      }),
  };
}
