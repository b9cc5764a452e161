// The simulation report: one self-contained HTML file that embeds ECharts (node_modules/echarts/dist) and the
// summary as JSON — limits, utilisation, DPD rates and losses by month, decisions by reason, plan success.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { SimSummary } from "./types.js";

function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve("echarts/dist/echarts.min.js"), "utf8");
}

/** Text safe inside a <script> element. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Lifts by why the policy alone gave less, the non-zero ones ("score 3, guardrail 1"); "" when none. */
export function liftedByList(liftedBy: SimSummary["recovery"]["liftedBy"]): string {
  return Object.entries(liftedBy)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

export function renderReportHtml(summary: SimSummary): string {
  const r = summary.recovery;
  const rate = r.successRate === null ? "n/a" : `${(r.successRate * 100).toFixed(1)} %`;
  const facts: [string, string][] = [
    ["customers", String(summary.customers)],
    ["months", String(summary.months)],
    ["scenario", summary.scenario],
    ["seed", String(summary.seed)],
    ["period", `${summary.startDate} – ${summary.endDate}`],
    ["events", String(summary.events)],
    ["decisions", String(summary.decisions)],
    ["customers reaching DPD 30+", String(summary.dpd30Customers)],
    ["losses (CNY)", (summary.lossesMinor / 100).toFixed(2)],
    [
      "recovery plans followed / evaluated / met",
      `${r.followed} / ${r.evaluated} / ${r.succeeded} (${rate})`,
    ],
    [
      "followed plans overtaken (platform-wide) / broken by the borrower / pending",
      `${r.macroOvertaken} / ${r.broken} / ${r.pending}`,
    ],
    ["met plans the kept promise lifted above the policy's limit", String(r.honouredLifted)],
    ["what those lifts added to the limits (CNY)", (r.liftMinor / 100).toFixed(2)],
    ["why the policy alone gave less", liftedByList(r.liftedBy) || "none"],
    [
      "plans settled by the engine (all customers)",
      Object.entries(r.commitments)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none",
    ],
    ["event log SHA-256", summary.eventLogSha256],
  ];
  const rows = facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("");
  const script = `
const s = JSON.parse(document.getElementById("summary").textContent);
const months = s.monthly.map((m) => m.month);
const chart = (id, option) => echarts.init(document.getElementById(id)).setOption(option);
const yuan = (v) => v / 100;
chart("limits", { title: { text: "Limits and outstanding (CNY)" }, tooltip: { trigger: "axis" }, legend: { top: 28 },
  xAxis: { type: "category", data: months }, yAxis: { type: "value" },
  series: [
    { name: "average limit", type: "line", data: s.monthly.map((m) => yuan(m.averageLimitMinor)) },
    { name: "total limits", type: "bar", data: s.monthly.map((m) => yuan(m.totalLimitMinor)), yAxisIndex: 0 },
    { name: "outstanding", type: "bar", data: s.monthly.map((m) => yuan(m.outstandingMinor)) } ] });
chart("utilisation", { title: { text: "Utilisation" }, tooltip: { trigger: "axis" },
  xAxis: { type: "category", data: months }, yAxis: { type: "value", max: 1 },
  series: [{ name: "outstanding ÷ limits", type: "line", data: s.monthly.map((m) => m.utilisation) }] });
chart("dpd", { title: { text: "Delinquency (share of lines)" }, tooltip: { trigger: "axis" }, legend: { top: 28 },
  xAxis: { type: "category", data: months }, yAxis: { type: "value" },
  series: [
    { name: "DPD > 0", type: "line", data: s.monthly.map((m) => m.dpd1Rate) },
    { name: "DPD ≥ 30", type: "line", data: s.monthly.map((m) => m.dpd30Rate) },
    { name: "DPD ≥ 90", type: "line", data: s.monthly.map((m) => m.dpd90Rate) } ] });
chart("losses", { title: { text: "Losses: principal charged off at DPD 90 (CNY)" }, tooltip: { trigger: "axis" },
  xAxis: { type: "category", data: months }, yAxis: { type: "value" },
  series: [{ name: "losses", type: "bar", data: s.monthly.map((m) => yuan(m.lossesMinor)) }] });
chart("changes", { title: { text: "Limit changes by month" }, tooltip: { trigger: "axis" }, legend: { top: 28 },
  xAxis: { type: "category", data: months }, yAxis: { type: "value" },
  series: [
    { name: "increases", type: "bar", data: s.monthly.map((m) => m.increases) },
    { name: "decreases", type: "bar", data: s.monthly.map((m) => m.decreases) } ] });
const reasons = Object.entries(s.decreasesByReason).sort((a, b) => b[1] - a[1]);
chart("reasons", { title: { text: "Decreases by principal reason" }, tooltip: {}, grid: { left: 220 },
  xAxis: { type: "value" }, yAxis: { type: "category", data: reasons.map((r) => r[0]).reverse() },
  series: [{ type: "bar", data: reasons.map((r) => r[1]).reverse() }] });
const triggers = Object.entries(s.decisionsByTrigger);
chart("triggers", { title: { text: "Decisions by trigger" }, tooltip: {},
  series: [{ type: "pie", radius: "60%", data: triggers.map(([name, value]) => ({ name, value })) }] });
const r = s.recovery;
chart("recovery", { title: { text: "Recovery plans followed" }, tooltip: {},
  xAxis: { type: "category", data: ["met", "missed", "macro overtaken", "broken", "pending"] }, yAxis: { type: "value" },
  series: [{ type: "bar", data: [r.succeeded, r.failed, r.macroOvertaken, r.broken, r.pending] }] });
`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Headroom simulation report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin-bottom: 24px; } th, td { text-align: left; padding: 4px 12px; border-bottom: 1px solid #ddd; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.chart { height: 360px; }
</style></head><body>
<h1>Headroom simulation report</h1>
<table>${rows}</table>
<div class="grid">
<div id="limits" class="chart"></div><div id="utilisation" class="chart"></div>
<div id="dpd" class="chart"></div><div id="losses" class="chart"></div>
<div id="changes" class="chart"></div><div id="reasons" class="chart"></div>
<div id="triggers" class="chart"></div><div id="recovery" class="chart"></div>
</div>
<script type="application/json" id="summary">${scriptSafe(JSON.stringify(summary))}</script>
<script>${scriptSafe(echartsSource())}</script>
<script>${scriptSafe(script)}</script>
</body></html>
`;
}
