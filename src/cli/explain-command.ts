// `headroom explain <customerId> [--lang zh-CN|en] [--json]`: the latest decision's headline, reasons, attribution
// and recovery plan, rendered from the language-neutral explanation stored with the decision record; a frozen or
// overdue line's arrears lead the plan, read from the line now (as the API's explanation route does). An
// unverified plan prints why (`missing`) and the actions, never a target or an ETA it does not have.
import { overdueStandingOf } from "../api/index.js";
import {
  type Explanation,
  type Lang,
  langs,
  type RenderedExplanation,
  renderExplanation,
  withOverdueRepayment,
} from "../explain/index.js";
import { formatMinor } from "../money/index.js";
import { lineOfCustomer } from "../store/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

const usage = "usage: headroom explain <customerId> [--lang zh-CN|en] [--json]";

function signed(amountMinor: number): string {
  return `${amountMinor > 0 ? "+" : ""}${formatMinor(amountMinor)}`;
}

/** The plan's closing lines: what it lacks and what the borrower can do, or when it is expected. */
function planTail(plan: RenderedExplanation["plan"], zh: boolean): string[] {
  const lines: string[] = [];
  if (!plan.verified && plan.missing !== undefined) lines.push(`  ${plan.missing}`);
  if (plan.actions !== undefined && plan.actions.length > 0) {
    lines.push(`  ${zh ? "可以做的" : "what you can do"}:`);
    for (const a of plan.actions)
      lines.push(
        `    - ${a.message}${a.moneyMinor === undefined ? "" : ` (${zh ? "金额" : "money"} ${formatMinor(a.moneyMinor)})`}`,
      );
  }
  const earliest = `  ${zh ? "最早可重新评估" : "earliest re-evaluation"}: ${plan.earliestReevaluation}`;
  lines.push(plan.eta === null ? earliest : `${earliest}; ETA ${plan.eta}`);
  return lines;
}

/** Human output: the headline, reasons, the change split by group, the plan's steps and actions. */
export function renderText(e: RenderedExplanation): string {
  const zh = e.lang === "zh-CN";
  const lines: string[] = [
    `${zh ? "决定" : "decision"} ${e.decisionId}: ${formatMinor(e.previousLimitMinor)} → ${formatMinor(e.newLimitMinor)}`,
    ...(e.headline === undefined ? [] : [e.headline]),
    "",
    zh ? "主要原因：" : "principal reasons:",
    ...(e.reasons.length === 0
      ? [zh ? "  （无）" : "  (none)"]
      : e.reasons.map((r, i) => `  ${i + 1}. [${r.code}] ${r.message}`)),
    "",
    zh ? "变动构成：" : "what changed the limit:",
    ...e.attribution.map((a) => `  ${signed(a.amountMinor).padStart(14)}  ${a.label}`),
    "",
    `${zh ? "恢复方案" : "recovery plan"} (${e.plan.status}${e.plan.verified ? (zh ? "，已验证" : ", verified") : ""}): ${e.plan.summary}`,
    ...e.plan.steps.map(
      (s) =>
        `  ${s.order}. ${s.message}  — ${zh ? "天数" : "days"} ${s.days}, ${zh ? "金额" : "money"} ${formatMinor(s.moneyMinor)}, ${zh ? "预计评分" : "score"} ${s.projectedScore}, ${zh ? "预计额度" : "limit"} ${formatMinor(s.projectedLimitMinor)}`,
    ),
    ...planTail(e.plan, zh),
  ];
  return lines.join("\n");
}

export const explainCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      lang: { type: "string" },
    },
    async ({ json, values, positionals, open }) => {
      const customerId = positionals[0];
      if (customerId === undefined || positionals.length > 1) throw new UsageError(usage);
      const lang = (values.lang ?? "zh-CN") as Lang;
      if (!langs.includes(lang)) throw new UsageError(`--lang is one of ${langs.join(", ")}`);
      const { store, service } = await open(values.db);
      const { engine } = await engineOn(store);
      const record = await engine.latestDecision(customerId);
      if (record === null) {
        return printResult(
          ctx,
          json,
          {
            ok: false,
            error: { code: "decision_not_found", message: `no decision recorded for customer ${customerId}` },
          },
          () => "",
        );
      }
      if (record.explanation === null) {
        return printResult(
          ctx,
          json,
          {
            ok: false,
            error: {
              code: "explanation_missing",
              message: `decision ${record.decisionId} has no explanation`,
            },
          },
          () => "",
        );
      }
      const rendered = renderExplanation(record.explanation as Explanation, lang);
      // The line's arrears as they stand today lead the plan (not among the decision's inputs).
      const lineId = await store.db.read((tx) => lineOfCustomer(tx, customerId));
      const line = lineId === null ? null : await service.getLine(lineId);
      const value =
        line === null
          ? rendered
          : {
              ...rendered,
              plan: withOverdueRepayment(
                rendered.plan,
                overdueStandingOf(line.state, record, await service.businessDate()),
                lang,
              ),
            };
      return printResult(ctx, json, { ok: true, value }, renderText);
    },
  );
