// The operations console: a section list (real links, so the browser's history and keyboard work) over the
// portfolio overview, policies with what-if, macro settings, experiments, models, decisions, reviews and audit.

import { useMemo } from "react";
import type { HeadroomApi, PortfolioSummary } from "./api.js";
import { Chart, type ChartOption } from "./chart.js";
import { AuditPanel, DecisionsPanel, ExperimentsPanel, ModelsPanel, ReviewsPanel } from "./console-ops.js";
import { MacroPanel, PoliciesPanel } from "./console-policies.js";
import { currencyPrefix, formatShare, toMajor } from "./format.js";
import { type MessageKey, useI18n } from "./i18n.js";
import { ErrorNote, Loading, Money, useLoad } from "./ui.js";

export const consoleTabs = [
  "overview",
  "policies",
  "macro",
  "experiments",
  "models",
  "decisions",
  "reviews",
  "audit",
] as const;
export type ConsoleTab = (typeof consoleTabs)[number];

export function isConsoleTab(value: string): value is ConsoleTab {
  return (consoleTabs as readonly string[]).includes(value);
}

export function ConsoleView({ api, tab }: { readonly api: HeadroomApi; readonly tab: ConsoleTab }) {
  const { t } = useI18n();
  return (
    <div className="console">
      <nav aria-label={t("consoleNavLabel")} className="tabs">
        <ul>
          {consoleTabs.map((name) => (
            <li key={name}>
              <a href={`#/console/${name}`} aria-current={name === tab ? "page" : undefined}>
                {t(`tab_${name}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="panel" data-testid={`panel-${tab}`}>
        <Panel api={api} tab={tab} />
      </div>
    </div>
  );
}

function Panel({ api, tab }: { readonly api: HeadroomApi; readonly tab: ConsoleTab }) {
  switch (tab) {
    case "overview":
      return <Overview api={api} />;
    case "policies":
      return <PoliciesPanel api={api} />;
    case "macro":
      return <MacroPanel api={api} />;
    case "experiments":
      return <ExperimentsPanel api={api} />;
    case "models":
      return <ModelsPanel api={api} />;
    case "decisions":
      return <DecisionsPanel api={api} />;
    case "reviews":
      return <ReviewsPanel api={api} />;
    case "audit":
      return <AuditPanel api={api} />;
    default: {
      const never: never = tab;
      throw new Error(`unknown console tab ${String(never)}`);
    }
  }
}

function barOption(labels: readonly string[], counts: readonly number[], name: string): ChartOption {
  return {
    grid: { left: 48, right: 8, top: 8, bottom: 56 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: [...labels], axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", name, data: [...counts], itemStyle: { color: "#2f5fb3" } }],
  };
}

function Overview({ api }: { readonly api: HeadroomApi }) {
  const { t, lang } = useI18n();
  const summary = useLoad(() => api.portfolioSummary(), [api]);
  const s = summary.data;
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">{t("tab_overview")}</h2>
      <ErrorNote error={summary.error} />
      {s === null ? summary.loading && <Loading /> : <OverviewBody s={s} />}
      {s !== null && s.decisionsByReason.length > 0 && (
        <div className="card">
          <h3>{t("decisionsByReason")}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("reasonCode")}</th>
                  <th scope="col">{t("count")}</th>
                </tr>
              </thead>
              <tbody>
                {s.decisionsByReason.map((r) => (
                  <tr key={r.code}>
                    <td>
                      <code>{r.code}</code>
                    </td>
                    <td>{r.count.toLocaleString(lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function OverviewBody({ s }: { readonly s: PortfolioSummary }) {
  const { t, lang } = useI18n();
  const charts = useMemo(() => {
    const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
    const limit = barOption(
      s.limitHistogram.map((b) => `${currencyPrefix[lang]}${compact.format(toMajor(b.fromMinor))}+`),
      s.limitHistogram.map((b) => b.count),
      t("limitDistribution"),
    );
    const score = barOption(
      s.scoreHistogram.map((b) => `${Math.round(b.from)}–${Math.round(b.to)}`),
      s.scoreHistogram.map((b) => b.count),
      t("scoreDistribution"),
    );
    const utilisation = barOption(
      s.utilisationHistogram.map((b) => `${Math.round(b.from)}–${Math.round(b.to)}`),
      s.utilisationHistogram.map((b) => b.count),
      t("utilisationDistribution"),
    );
    const buckets = [
      ["current", "dpd_current", "#1b7f3b"],
      ["dpd1to29", "dpd_1to29", "#c98a00"],
      ["dpd30to59", "dpd_30to59", "#d05a00"],
      ["dpd60plus", "dpd_60plus", "#b3261e"],
    ] as const;
    const dpd: ChartOption = {
      grid: { left: 48, right: 8, top: 56, bottom: 32 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: s.dpdByMonth.map((m) => m.month) },
      yAxis: { type: "value", minInterval: 1 },
      series: buckets.map(([field, key, colour]) => ({
        type: "bar" as const,
        stack: "dpd",
        name: t(key),
        itemStyle: { color: colour },
        data: s.dpdByMonth.map((m) => m[field]),
      })),
    };
    const exposure: ChartOption = {
      grid: { left: 96, right: 16, top: 8, bottom: 24 },
      xAxis: { type: "value", axisLabel: { formatter: (v: number) => compact.format(v) } },
      yAxis: { type: "category", data: [t("outstanding"), t("exposure"), t("budget")] },
      series: [
        {
          type: "bar",
          data: [
            { value: toMajor(s.outstandingMinor), itemStyle: { color: "#6b7a90" } },
            { value: toMajor(s.exposureMinor), itemStyle: { color: "#2f5fb3" } },
            { value: s.budgetMinor === null ? 0 : toMajor(s.budgetMinor), itemStyle: { color: "#1b7f3b" } },
          ],
        },
      ],
    };
    return { limit, score, utilisation, dpd, exposure };
  }, [s, t, lang]);
  return (
    <>
      <dl className="figures" data-testid="portfolio-figures">
        <div>
          <dt>{t("businessDate")}</dt>
          <dd>{s.businessDate}</dd>
        </div>
        <div>
          <dt>{t("lines")}</dt>
          <dd>{s.lines.toLocaleString(lang)}</dd>
        </div>
        <div>
          <dt>{t("exposure")}</dt>
          <dd>
            <Money minor={s.exposureMinor} />
          </dd>
        </div>
        <div>
          <dt>{t("outstanding")}</dt>
          <dd>
            <Money minor={s.outstandingMinor} />
          </dd>
        </div>
        <div>
          <dt>{t("budget")}</dt>
          <dd>
            {s.budgetMinor === null ? (
              t("noBudget")
            ) : (
              <>
                <Money minor={s.budgetMinor} />{" "}
                <span className="muted small">
                  {t("budgetUse", {
                    share: formatShare(s.budgetMinor > 0 ? s.exposureMinor / s.budgetMinor : 0, lang),
                  })}
                </span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("promiseLifted")}</dt>
          <dd>
            <Money minor={s.promiseLifted.liftMinor} />{" "}
            <span className="muted small">
              {t("promiseLiftedDecisions", { count: s.promiseLifted.decisions.toLocaleString(lang) })}
            </span>
          </dd>
        </div>
      </dl>
      <div className="grid">
        <div className="card">
          <h3>{t("exposure")}</h3>
          <Chart option={charts.exposure} label={t("exposure")} height={160} />
        </div>
        <ChartCard
          title={t("limitDistribution")}
          option={charts.limit}
          empty={s.limitHistogram.length === 0}
        />
        <ChartCard
          title={t("scoreDistribution")}
          option={charts.score}
          empty={s.scoreHistogram.length === 0}
        />
        <ChartCard
          title={t("utilisationDistribution")}
          option={charts.utilisation}
          empty={s.utilisationHistogram.length === 0}
        />
        <ChartCard title={t("dpdOverTime")} option={charts.dpd} empty={s.dpdByMonth.length === 0} />
      </div>
    </>
  );
}

function ChartCard({
  title,
  option,
  empty,
}: {
  readonly title: string;
  readonly option: ChartOption;
  readonly empty: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="card">
      <h3>{title}</h3>
      {empty ? <p className="muted">{t("noData")}</p> : <Chart option={option} label={title} />}
    </div>
  );
}
