// `headroom audit explanations [--db …] [--json]`: every decision of the store, its explanation rendered in
// zh-CN and en as the API renders it, checked against the explanation rules (src/explain/audit.ts); lists
// each violation with its decision id and exits 1 if there is any. Pages through the store (bounded memory),
// with progress on stderr for big stores.

import type { DecisionRecord, DecisionStore } from "../engine/index.js";
import {
  type AuditContext,
  type AuditRule,
  type AuditViolation,
  auditDecision,
  auditRules,
  type Explanation,
  type HeldLimitRow,
  renderedForAudit,
  windowHighestMinor,
} from "../explain/index.js";
import { defaultProduct } from "../lending/index.js";
import type { Scorecard } from "../scoring/index.js";
import { createDecisionStore, decisionPageSizeMax } from "../store/index.js";
import { addDays, formatDate, parseDate } from "../time/index.js";
import type { Command } from "./commands.js";
import { parseCommandArgs, runStoreCommand, storeOptions, UsageError, writeJson } from "./db-options.js";
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

async function auditOne(
  store: DecisionStore,
  registry: Registry,
  record: DecisionRecord,
): Promise<AuditViolation[]> {
  const versions = await versionsOf(registry, record);
  if (typeof versions === "string")
    return [{ decisionId: record.decisionId, rule: "characteristic_reach", message: versions }];
  const decreased = record.newLimitMinor < record.previousLimitMinor;
  const window = versions.policy.guardrails.decreaseWindowDays;
  const earlier = decreased ? await earlierInWindow(store, record, window) : [];
  const explanation = record.explanation as Explanation | null;
  const empty = { reasons: [], attribution: [], plan: null };
  return auditDecision(record, {
    model: versions.model,
    policy: versions.policy,
    windowHighestMinor: windowHighestMinor(record.businessDate, record.previousLimitMinor, earlier, window),
    rendered:
      explanation === null || explanation.format !== "headroom.explanation"
        ? { "zh-CN": empty, en: empty }
        : renderedForAudit(explanation),
  });
}

/** Audits every decision of the store, newest first, a page at a time. */
export async function auditExplanations(
  store: DecisionStore,
  registry: Registry,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ExplanationAuditReport> {
  const total = await store.countDecisions();
  const byRule = Object.fromEntries(auditRules.map((r) => [r, 0])) as Record<AuditRule, number>;
  const violations: AuditViolation[] = [];
  let decisions = 0;
  let violationCount = 0;
  let cursor: string | null = null;
  do {
    const page = await store.listDecisions({
      limit: decisionPageSizeMax,
      ...(cursor === null ? {} : { cursor }),
    });
    for (const record of page.items) {
      for (const v of await auditOne(store, registry, record)) {
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
  runStoreCommand(ctx, async (json, open) => {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...storeOptions });
    if (positionals.length > 0) throw new UsageError(usage);
    const { store } = await open(values.db);
    const { registry } = await engineOn(store);
    const decisions = createDecisionStore(store.db, () => 0, defaultProduct.timeZone);
    const report = await auditExplanations(decisions, registry, (done, total) => {
      ctx.stderr.write(`audit explanations: ${done} / ${total} decisions\n`);
    });
    if (json) writeJson(ctx, report);
    else ctx.stdout.write(`${renderReport(report)}\n`);
    return report.violationCount === 0 ? 0 : 1;
  });
