// `headroom audit explanations [--db …] [--json]`: every decision of the store, its explanation rendered in
// zh-CN and en as the API renders it, checked against the explanation rules (src/explain/audit.ts); lists
// each violation with its decision id and exits 1 if there is any. Pages through the store (bounded memory),
// with progress on stderr for big stores.

import { overdueStandingOf } from "../api/index.js";
import type { DecisionRecord, DecisionStore, LendingService } from "../engine/index.js";
import {
  type AuditContext,
  type AuditedRendering,
  type AuditRule,
  type AuditViolation,
  auditDecision,
  auditRules,
  type Explanation,
  type HeldLimitRow,
  type Lang,
  type OverdueStanding,
  recordedOverdueStanding,
  renderExplanation,
  renderedForAudit,
  windowHighestMinor,
  withOverdueRepayment,
  withStepDates,
} from "../explain/index.js";
import { defaultProduct } from "../lending/index.js";
import type { Scorecard } from "../scoring/index.js";
import { createDecisionStore, decisionPageSizeMax, lineOfCustomer, type Store } from "../store/index.js";
import { addDays, formatDate, parseDate } from "../time/index.js";
import type { Command } from "./commands.js";
import { runStoreCommand, UsageError, writeJson } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

const usage = "usage: headroom audit explanations [--db …] [--json]";

/** Violations listed in the output; beyond it they are counted (by rule) but not listed. */
export const violationsListedMax = 10_000;
/** Stores with at least this many decisions report progress on stderr, once per this many decisions. */
export const progressEveryDecisions = 5_000;
/** Earlier decisions of one customer read for a decrease window (a window holds at most a year of them). */
const windowRowsMax = 5_000;

export interface ExplanationAuditReport {
  readonly decisions: number;
  readonly violationCount: number;
  readonly byRule: Readonly<Record<AuditRule, number>>;
  readonly violations: readonly AuditViolation[];
}

type Registry = Awaited<ReturnType<typeof engineOn>>["registry"];

interface Versions {
  readonly model: Scorecard;
  readonly policy: AuditContext["policy"];
}

async function versionsOf(registry: Registry, record: DecisionRecord): Promise<Versions | string> {
  const v = record.versions;
  const model = await registry.resolveModel(v.modelId);
  if (model === null) return `model ${v.modelId} is not in the registry`;
  const policy = await registry.resolvePolicy(v.policyId, v.policyVersion);
  if (policy === null) return `policy ${v.policyId}@${v.policyVersion} is not in the registry`;
  return { model: model.model, policy: policy.compiled };
}

/** The customer's decisions in the window before this one (pages go newest first: those after it). */
async function earlierInWindow(
  store: DecisionStore,
  record: DecisionRecord,
  windowDays: number,
): Promise<HeldLimitRow[]> {
  const day = parseDate(record.businessDate);
  if (!day.ok) return [];
  const from = formatDate(addDays(day.value, -(windowDays - 1)));
  const rows: HeldLimitRow[] = [];
  let seen = false;
  let cursor: string | null = null;
  do {
    const page = await store.listDecisions({
      customerId: record.customerId,
      from,
      to: record.businessDate,
      limit: decisionPageSizeMax,
      ...(cursor === null ? {} : { cursor }),
    });
    for (const r of page.items) {
      if (seen) rows.push(r);
      else seen = r.decisionId === record.decisionId;
    }
    cursor = page.nextCursor;
  } while (cursor !== null && rows.length < windowRowsMax);
  return rows;
}

/** What the audit reads besides the decisions: the registry, and the lines for the latest decisions. */
export interface AuditSources {
  readonly decisions: DecisionStore;
  readonly registry: Registry;
  readonly store: Store;
  readonly lending: LendingService;
}

/**
 * The line's arrears as the explanation route reads them for a customer's latest decision (the route's own
 * `overdueStandingOf`); null when the record is not the latest or the line is gone.
 */
export async function currentStandingOf(
  sources: AuditSources,
  record: DecisionRecord,
): Promise<OverdueStanding | null> {
  const latest = await sources.decisions.listDecisions({ customerId: record.customerId, limit: 1 });
  if (latest.items[0]?.decisionId !== record.decisionId) return null;
  const lineId = await sources.store.db.read((tx) => lineOfCustomer(tx, record.customerId));
  const stored = lineId === null ? null : await sources.lending.getLine(lineId);
  if (stored === null) return null;
  return overdueStandingOf(stored.state, record, await sources.lending.businessDate());
}

/**
 * The arrears the API leads the decision's plan with: the line's as they stand for a customer's latest
 * decision, else those the record keeps (`GET /v1/decisions/{id}`); null when there are none.
 */
export async function standingOf(
  sources: AuditSources,
  record: DecisionRecord,
): Promise<OverdueStanding | null> {
  return (await currentStandingOf(sources, record)) ?? recordedOverdueStanding(record);
}

const noRendering: AuditedRendering = { reasons: [], attribution: [], plan: null };

/**
 * The explanation in both languages as the API serves it: a decision as `GET /v1/decisions/{id}` renders it,
 * its plan led by the arrears it recorded, or a customer's latest as the explanation route does, led by the
 * arrears of the line as it stands (`standingOf`).
 */
export function renderedAsServed(
  explanation: Explanation | null,
  standing: OverdueStanding | null,
  businessDate: string,
): Record<Lang, AuditedRendering> {
  if (explanation === null || explanation.format !== "headroom.explanation")
    return { "zh-CN": noRendering, en: noRendering };
  const rendered = renderedForAudit(explanation);
  const served = (lang: Lang) => ({
    ...rendered[lang],
    plan: withStepDates(
      standing === null
        ? renderExplanation(explanation, lang).plan
        : withOverdueRepayment(renderExplanation(explanation, lang).plan, standing, lang),
      businessDate,
    ),
  });
  return { "zh-CN": served("zh-CN"), en: served("en") };
}

async function auditOne(sources: AuditSources, record: DecisionRecord): Promise<AuditViolation[]> {
  const versions = await versionsOf(sources.registry, record);
  if (typeof versions === "string")
    return [{ decisionId: record.decisionId, rule: "characteristic_reach", message: versions }];
  const decreased = record.newLimitMinor < record.previousLimitMinor;
  const window = versions.policy.guardrails.decreaseWindowDays;
  const earlier = decreased ? await earlierInWindow(sources.decisions, record, window) : [];
  const current = await currentStandingOf(sources, record);
  const standing = current ?? recordedOverdueStanding(record);
  return auditDecision(record, {
    model: versions.model,
    policy: versions.policy,
    windowHighestMinor: windowHighestMinor(record.businessDate, record.previousLimitMinor, earlier, window),
    rendered: renderedAsServed(record.explanation as Explanation | null, standing, record.businessDate),
    // Read now only for the latest; any other decision is audited against the amount it recorded.
    ...(current === null ? {} : { overdueMinor: current.overdueMinor }),
  });
}

/** Audits every decision of the store, newest first, a page at a time. */
export async function auditExplanations(
  sources: AuditSources,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ExplanationAuditReport> {
  const total = await sources.decisions.countDecisions();
  const byRule = Object.fromEntries(auditRules.map((r) => [r, 0])) as Record<AuditRule, number>;
  const violations: AuditViolation[] = [];
  let decisions = 0;
  let violationCount = 0;
  let cursor: string | null = null;
  do {
    const page = await sources.decisions.listDecisions({
      limit: decisionPageSizeMax,
      ...(cursor === null ? {} : { cursor }),
    });
    for (const record of page.items) {
      for (const v of await auditOne(sources, record)) {
        violationCount++;
        byRule[v.rule]++;
        if (violations.length < violationsListedMax) violations.push(v);
      }
      decisions++;
      if (total >= progressEveryDecisions && decisions % progressEveryDecisions === 0)
        onProgress(decisions, total);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { decisions, violationCount, byRule, violations };
}

function renderReport(report: ExplanationAuditReport): string {
  const lines = [
    report.violationCount === 0
      ? `explanations audit: ${report.decisions} decision(s), no violations`
      : `EXPLANATIONS AUDIT: ${report.violationCount} violation(s) in ${report.decisions} decision(s)`,
  ];
  for (const rule of auditRules) if (report.byRule[rule] > 0) lines.push(`  ${rule}: ${report.byRule[rule]}`);
  for (const v of report.violations) lines.push(`${v.decisionId}  ${v.rule}: ${v.message}`);
  if (report.violations.length < report.violationCount)
    lines.push(`… and ${report.violationCount - report.violations.length} more`);
  return lines.join("\n");
}

export const auditExplanationsCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError(usage);
    const { store, service } = await open(values.db);
    const { registry } = await engineOn(store);
    const decisions = createDecisionStore(store.db, () => 0, defaultProduct.timeZone);
    const sources = { decisions, registry, store, lending: service };
    const report = await auditExplanations(sources, (done, total) => {
      ctx.stderr.write(`audit explanations: ${done} / ${total} decisions\n`);
    });
    if (json) writeJson(ctx, report);
    else ctx.stdout.write(`${renderReport(report)}\n`);
    return report.violationCount === 0 ? 0 : 1;
  });
