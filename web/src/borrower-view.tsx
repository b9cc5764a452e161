// The borrower view: the line (limit, available, outstanding), the limit history with every change selectable,
// a change's headline, reasons, attribution waterfall and recovery plan (verified steps, actions, or why none is
// verified), upcoming instalments, announcements, and a re-evaluation request that first explains it counts as a
// limit query — withheld, with the reason, while the line is frozen. The server's sentences are shown as they
// are; reason codes are for operators and never appear here; money has one format per language (format.ts).

import { useEffect, useMemo, useRef, useState } from "react";
import {
  ApiClientError,
  type AttributionPart,
  type DecisionSummary,
  type Explanation,
  type HeadroomApi,
  type Lang,
  type PlanCommitment,
  type RecoveryPlan,
} from "./api.js";
import { Chart, type ChartOption } from "./chart.js";
import { addDays, formatMajorAxis, formatMoney, formatMoneyChange, toMajor } from "./format.js";
import { catalogues, type MessageKey, useI18n } from "./i18n.js";
import { ErrorNote, errorText, Loading, Money, useLoad } from "./ui.js";

/** Instalments listed in "upcoming", soonest first. */
export const instalmentsShownMax = 12;
/** Limit decisions drawn on the timeline. */
export const historyPageSize = 100;

const colourUp = "#1b7f3b";
const colourDown = "#b3261e";
const colourTotal = "#2f5fb3";

export function BorrowerView({
  api,
  customerId,
}: {
  readonly api: HeadroomApi;
  readonly customerId: string;
}) {
  const { t, lang } = useI18n();
  const customer = useLoad(() => api.customer(customerId), [api, customerId]);
  const history = useLoad(
    () => api.customerDecisions(customerId, lang, historyPageSize),
    [api, customerId, lang],
  );
  // The sequence number moves focus to the detail on every selection, including a repeated one.
  const [selection, setSelection] = useState<{ decisionId: string; seq: number } | null>(null);
  const selected = selection?.decisionId ?? null;
  const select = (decisionId: string) => setSelection((old) => ({ decisionId, seq: (old?.seq ?? 0) + 1 }));
  const c = customer.data;

  const reload = () => {
    customer.reload();
    history.reload();
  };

  return (
    <div className="borrower">
      <section aria-labelledby="line-title" className="card">
        <h2 id="line-title">{t("navBorrower")}</h2>
        <ErrorNote error={customer.error} />
        {c === null ? (
          customer.loading && <Loading />
        ) : (
          <>
            <dl className="figures" data-testid="line-figures">
              <div>
                <dt>{t("limit")}</dt>
                <dd>
                  <Money minor={c.limitMinor} />
                </dd>
              </div>
              <div>
                <dt>{t("available")}</dt>
                <dd>
                  <Money minor={c.availableMinor} />
                </dd>
              </div>
              <div>
                <dt>{t("outstanding")}</dt>
                <dd>
                  <Money minor={c.outstandingMinor} />
                </dd>
              </div>
              <div>
                <dt>{t("status")}</dt>
                <dd>{t(`status_${c.status}` as MessageKey)}</dd>
              </div>
            </dl>
            {c.score !== null && c.band !== null && (
              <p className="muted">{t("scoreBand", { score: Math.round(c.score), band: c.band })}</p>
            )}
            {c.status === "frozen" ? (
              <p className="frozen-reason" data-testid="reevaluate-withheld">
                {(c.overdueMinor ?? 0) > 0
                  ? t("reevaluateFrozenOverdue", { amount: formatMoney(c.overdueMinor ?? 0, lang) })
                  : t("reevaluateFrozen")}
              </p>
            ) : (
              <Reevaluate api={api} customerId={customerId} onDone={reload} />
            )}
          </>
        )}
      </section>

      <section aria-labelledby="timeline-title" className="card">
        <h2 id="timeline-title">{t("timelineTitle")}</h2>
        <ErrorNote error={history.error} />
        {history.data === null ? (
          history.loading && <Loading />
        ) : (
          <Timeline items={history.data.items} selected={selected} onSelect={select} />
        )}
      </section>

      {selection !== null && history.data !== null && (
        <ChangeDetail
          focusSeq={selection.seq}
          api={api}
          customerId={customerId}
          summary={history.data.items.find((d) => d.decisionId === selected) ?? null}
          latestDecisionId={c?.latestDecisionId ?? history.data.items[0]?.decisionId ?? null}
          decisionId={selection.decisionId}
          today={c?.businessDate ?? null}
        />
      )}

      {c !== null && <Instalments api={api} lineId={c.lineId} />}
      <Announcements api={api} lang={lang} />
    </div>
  );
}

function Timeline({
  items,
  selected,
  onSelect,
}: {
  readonly items: readonly DecisionSummary[];
  readonly selected: string | null;
  readonly onSelect: (decisionId: string) => void;
}) {
  const { t, lang } = useI18n();
  const [showUnchanged, setShowUnchanged] = useState(false);
  const oldestFirst = useMemo(() => [...items].reverse(), [items]);
  // Most decisions keep the limit; the list shows the changes unless asked for all (the chart shows all).
  const listed = showUnchanged
    ? items
    : items.filter((d) => d.newLimitMinor !== d.previousLimitMinor || d.decisionId === selected);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: "axis" },
      // The first point is the limit before the oldest decision, so the first change shows as a step too.
      xAxis: {
        type: "category",
        data: [t("previousLimit"), ...oldestFirst.map((d) => d.businessDate)],
      },
      yAxis: { type: "value", axisLabel: { formatter: (v: number) => formatMajorAxis(v, lang) } },
      series: [
        {
          type: "line",
          name: t("limit"),
          step: "end",
          symbolSize: 10,
          data: [
            {
              value: toMajor(oldestFirst[0]?.previousLimitMinor ?? 0),
              itemStyle: { color: colourTotal, borderWidth: 1 },
              symbolSize: 6,
            },
            ...oldestFirst.map((d) => {
              const change = d.newLimitMinor - d.previousLimitMinor;
              const colour = change > 0 ? colourUp : change < 0 ? colourDown : colourTotal;
              return {
                value: toMajor(d.newLimitMinor),
                itemStyle: { color: colour, borderWidth: d.decisionId === selected ? 3 : 1 },
                symbolSize: d.decisionId === selected ? 16 : 10,
              };
            }),
          ],
          lineStyle: { color: colourTotal },
        },
      ],
    }),
    [oldestFirst, selected, t, lang],
  );
  if (items.length === 0) return <p className="muted">{t("noChanges")}</p>;
  return (
    <>
      <Chart
        option={option}
        label={t("timelineChartLabel")}
        testId="timeline-chart"
        onSelect={(i) => {
          const d = oldestFirst[i - 1];
          if (d) onSelect(d.decisionId);
        }}
      />
      <label className="inline">
        <input type="checkbox" checked={showUnchanged} onChange={(e) => setShowUnchanged(e.target.checked)} />{" "}
        {t("showUnchanged")}
      </label>
      <ul className="changes" aria-label={t("changesListLabel")}>
        {listed.map((d) => {
          const change = d.newLimitMinor - d.previousLimitMinor;
          return (
            <li key={d.decisionId}>
              <button
                type="button"
                className="change"
                aria-pressed={d.decisionId === selected}
                data-testid="limit-change"
                data-decision-id={d.decisionId}
                onClick={() => onSelect(d.decisionId)}
              >
                <span>
                  {t("changeItem", {
                    date: d.businessDate,
                    from: formatMoney(d.previousLimitMinor, lang),
                    to: formatMoney(d.newLimitMinor, lang),
                  })}
                </span>
                <span className={change > 0 ? "up" : change < 0 ? "down" : "muted"}>
                  {formatMoneyChange(change, lang)}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function ChangeDetail({
  api,
  customerId,
  decisionId,
  latestDecisionId,
  summary,
  focusSeq,
  today,
}: {
  readonly focusSeq: number;
  /** The store's business date: plan steps dated before it are marked as passed. */
  readonly today: string | null;
  readonly api: HeadroomApi;
  readonly customerId: string;
  readonly decisionId: string;
  readonly latestDecisionId: string | null;
  readonly summary: DecisionSummary | null;
}) {
  const { t, lang } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const explanation = useLoad<Explanation | null>(async () => {
    if (decisionId === latestDecisionId) return api.explanation(customerId, lang);
    const record = await api.decision(decisionId, lang);
    return record.rendered ?? null;
  }, [api, customerId, decisionId, latestDecisionId, lang]);
  // Move focus to the detail so keyboard and screen-reader users land on what they opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once per selection
  useEffect(() => heading.current?.focus(), [focusSeq]);

  const e = explanation.data;
  const date = e?.businessDate ?? summary?.businessDate ?? "";
  const from = e?.previousLimitMinor ?? summary?.previousLimitMinor ?? 0;
  const to = e?.newLimitMinor ?? summary?.newLimitMinor ?? 0;
  const reasons = e?.reasons ?? summary?.reasons ?? [];
  return (
    <section aria-labelledby="change-title" className="card" data-testid="change-detail">
      <h2 id="change-title" tabIndex={-1} ref={heading}>
        {t("selectedChangeTitle", { date, from: formatMoney(from, lang), to: formatMoney(to, lang) })}
      </h2>
      <ErrorNote error={explanation.error} />
      {explanation.loading && <Loading />}
      {e?.headline !== undefined && <p data-testid="headline">{e.headline}</p>}
      <h3>{t("reasonsTitle")}</h3>
      {reasons.length === 0 ? (
        <p className="muted">{t("noReasons")}</p>
      ) : (
        <ol className="reasons" data-testid="reasons">
          {reasons.map((r) => (
            <li key={r.code}>{r.message}</li>
          ))}
        </ol>
      )}
      {e !== null && e.attribution.length > 0 && (
        <Waterfall previousMinor={e.previousLimitMinor} newMinor={e.newLimitMinor} parts={e.attribution} />
      )}
      {e !== null && (
        <Plan
          plan={e.plan}
          decisionId={e.decisionId}
          businessDate={e.businessDate}
          commitment={e.commitment ?? null}
          today={today}
        />
      )}
    </section>
  );
}

function groupLabel(t: ReturnType<typeof useI18n>["t"], part: AttributionPart): string {
  return t(`group_${part.group}` as MessageKey);
}

function Waterfall({
  previousMinor,
  newMinor,
  parts,
}: {
  readonly previousMinor: number;
  readonly newMinor: number;
  readonly parts: readonly AttributionPart[];
}) {
  const { t, lang } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const categories = [t("previousLimit"), ...parts.map((p) => groupLabel(t, p)), t("newLimit")];
    const base: number[] = [0];
    const bars: { value: number; itemStyle: { color: string } }[] = [
      { value: toMajor(previousMinor), itemStyle: { color: colourTotal } },
    ];
    let running = previousMinor;
    for (const p of parts) {
      const after = running + p.amountMinor;
      base.push(toMajor(Math.min(running, after)));
      bars.push({
        value: toMajor(Math.abs(p.amountMinor)),
        itemStyle: { color: p.amountMinor >= 0 ? colourUp : colourDown },
      });
      running = after;
    }
    base.push(0);
    bars.push({ value: toMajor(newMinor), itemStyle: { color: colourTotal } });
    return {
      grid: { left: 56, right: 8, top: 8, bottom: 48 },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value" },
      series: [
        { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, silent: true },
        { type: "bar", stack: "w", data: bars },
      ],
    };
  }, [previousMinor, newMinor, parts, t]);
  return (
    <>
      <h3>{t("attributionTitle")}</h3>
      <Chart option={option} label={t("attributionChartLabel")} testId="attribution-chart" height={220} />
      <ul className="attribution" data-testid="attribution">
        {parts.map((p) => (
          <li key={`${p.group}-${p.announcementId ?? ""}-${p.label}`}>
            <strong>{groupLabel(t, p)}</strong>{" "}
            <span className={p.amountMinor > 0 ? "up" : p.amountMinor < 0 ? "down" : "muted"}>
              {formatMoneyChange(p.amountMinor, lang)}
            </span>
            {p.label !== p.group && p.label !== groupLabel(t, p) && <span> — {p.label}</span>}
            {p.platformWide && <span className="muted"> ({t("platformWide")})</span>}
            {p.announcementId !== undefined && (
              <span className="muted"> · {t("announcementRef", { id: p.announcementId })}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

const planStorePrefix = "headroom.plan.";

function loadTicks(decisionId: string): readonly number[] {
  try {
    const raw = localStorage.getItem(planStorePrefix + decisionId);
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === "number") : [];
  } catch {
    return [];
  }
}

function Plan({
  plan,
  decisionId: shownDecisionId,
  businessDate: shownDate,
  commitment,
  today,
}: {
  readonly plan: RecoveryPlan | null;
  readonly decisionId: string;
  readonly businessDate: string;
  readonly commitment: PlanCommitment | null;
  readonly today: string | null;
}) {
  const { t, lang } = useI18n();
  // A plan still in force is the one made earlier: its steps count from its own date, its ticks are its own.
  const inForce =
    commitment !== null && (commitment.status === "in_force" || commitment.status === "honoured");
  const decisionId = inForce ? commitment.planDecisionId : shownDecisionId;
  const businessDate = inForce ? commitment.madeOn : shownDate;
  const [ticked, setTicked] = useState<readonly number[]>(() => loadTicks(decisionId));
  useEffect(() => setTicked(loadTicks(decisionId)), [decisionId]);
  const toggle = (order: number) => {
    const next = ticked.includes(order) ? ticked.filter((o) => o !== order) : [...ticked, order];
    setTicked(next);
    localStorage.setItem(planStorePrefix + decisionId, JSON.stringify(next));
  };
  if (plan === null)
    return (
      <>
        <h3>{t("planTitle")}</h3>
        <p className="muted">{t("planNone")}</p>
      </>
    );
  const done = plan.steps.filter((s) => ticked.includes(s.order)).length;
  const statusKey = `planStatus_${plan.status}`;
  const statusText = plan.summary ?? (statusKey in catalogues.en ? t(statusKey as MessageKey) : plan.status);
  return (
    <div data-testid="plan">
      <h3>{t("planTitle")}</h3>
      {commitment !== null && <p data-testid="plan-commitment">{commitment.message}</p>}
      <p data-testid="plan-summary">{statusText}</p>
      {/* A target and a date only for a verified plan; an unverified one says why, in the server's words. */}
      {plan.verified && plan.targetLimitMinor !== null && (
        <p className="muted">
          {t("planTarget", {
            target: formatMoney(plan.targetLimitMinor, lang),
            reachable: formatMoney(plan.reachableLimitMinor, lang),
          })}{" "}
          · {t("planVerified")}
        </p>
      )}
      {!plan.verified && plan.missing !== undefined && <p data-testid="plan-missing">{plan.missing}</p>}
      {plan.steps.length > 0 && (
        <>
          <label className="progress">
            <span>
              {t("planProgressLabel")}: {t("planProgress", { done, total: plan.steps.length })}
            </span>
            <progress max={plan.steps.length} value={done} />
          </label>
          <ol className="checklist">
            {[...plan.steps]
              .sort((a, b) => a.order - b.order)
              .map((s) => {
                const dueOn = addDays(businessDate, s.days);
                const passed = today !== null && dueOn < today;
                return (
                  <li
                    key={s.order}
                    data-action={s.action}
                    data-passed={passed}
                    className={passed ? "passed" : undefined}
                  >
                    <label>
                      <input
                        type="checkbox"
                        checked={ticked.includes(s.order)}
                        onChange={() => toggle(s.order)}
                      />
                      <span>{s.message}</span>
                    </label>
                    <span className="muted step-meta">
                      {t("stepDue", { date: dueOn })}
                      {passed && ` (${t("stepPassed")})`}
                      {s.moneyMinor > 0 &&
                        ` · ${t("stepMoney", { amount: formatMoney(s.moneyMinor, lang) })}`}{" "}
                      ·{" "}
                      {t("stepProjection", {
                        score: Math.round(s.projectedScore),
                        limit: formatMoney(s.projectedLimitMinor, lang),
                      })}
                    </span>
                  </li>
                );
              })}
          </ol>
        </>
      )}
      {plan.actions !== undefined && plan.actions.length > 0 && (
        <>
          <h4>{t("planActionsTitle")}</h4>
          <ul data-testid="plan-actions">
            {plan.actions.map((a) => (
              <li key={a.kind} data-kind={a.kind}>
                {a.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.conditions !== undefined && plan.conditions.length > 0 && (
        <>
          <p className="muted">{t("planConditions")}</p>
          <ul data-testid="plan-conditions">
            {plan.conditions.map((c) => (
              <li key={c.code}>{c.message}</li>
            ))}
          </ul>
        </>
      )}
      {plan.eta !== null && <p>{t("planEta", { eta: plan.eta, earliest: plan.earliestReevaluation })}</p>}
      {plan.nextReviewDate !== undefined && (
        <p className="muted">{t("planNextReview", { date: plan.nextReviewDate })}</p>
      )}
    </div>
  );
}

function Instalments({ api, lineId }: { readonly api: HeadroomApi; readonly lineId: string }) {
  const { t } = useI18n();
  const schedule = useLoad(() => api.schedule(lineId), [api, lineId]);
  const upcoming = (schedule.data?.items ?? [])
    .filter((i) => i.status !== "paid")
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.n - b.n))
    .slice(0, instalmentsShownMax);
  return (
    <section aria-labelledby="instalments-title" className="card">
      <h2 id="instalments-title">{t("instalmentsTitle")}</h2>
      <ErrorNote error={schedule.error} />
      {schedule.loading && schedule.data === null && <Loading />}
      {schedule.data !== null && upcoming.length === 0 && <p className="muted">{t("noInstalments")}</p>}
      {upcoming.length > 0 && (
        <div className="table-wrap">
          <table data-testid="instalments">
            <thead>
              <tr>
                <th scope="col">{t("dueDate")}</th>
                <th scope="col">{t("instalmentNo")}</th>
                <th scope="col">{t("total")}</th>
                <th scope="col">{t("paid")}</th>
                <th scope="col">{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {upcoming.map((i) => (
                <tr
                  key={`${i.drawdownId}-${i.n}`}
                  data-status={i.status}
                  className={i.status === "overdue" ? "overdue" : undefined}
                >
                  <td>{i.dueDate}</td>
                  <td>{i.n}</td>
                  <td>
                    <Money minor={i.totalMinor} />
                  </td>
                  <td>
                    <Money minor={i.paidMinor} />
                  </td>
                  <td>{t(`instalment_${i.status}` as MessageKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Announcements({ api, lang }: { readonly api: HeadroomApi; readonly lang: Lang }) {
  const { t } = useI18n();
  const list = useLoad(() => api.announcements(lang), [api, lang]);
  return (
    <section aria-labelledby="announcements-title" className="card">
      <h2 id="announcements-title">{t("announcementsTitle")}</h2>
      <ErrorNote error={list.error} />
      {list.data !== null && list.data.items.length === 0 && <p className="muted">{t("noAnnouncements")}</p>}
      <ul className="announcements">
        {(list.data?.items ?? []).map((a) => (
          <li key={a.announcementId}>
            <h3>{a.title}</h3>
            <p className="muted">{t("effective", { date: a.effectiveDate })}</p>
            <p>{a.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Reevaluate({
  api,
  customerId,
  onDone,
}: {
  readonly api: HeadroomApi;
  readonly customerId: string;
  readonly onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  // The outcome is kept as data and rendered at display time, so it follows a language switch.
  const [outcome, setOutcome] = useState<
    | { kind: "done"; from: number; to: number }
    | { kind: "rate_limited"; seconds: number | null }
    | { kind: "failed"; error: unknown }
    | null
  >(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    dialog.current?.close();
    setBusy(true);
    try {
      const r = await api.reevaluate(customerId);
      setOutcome({ kind: "done", from: r.previousLimitMinor, to: r.newLimitMinor });
      onDone();
    } catch (error) {
      if (error instanceof ApiClientError && error.code === "reevaluation_rate_limited") {
        setOutcome({ kind: "rate_limited", seconds: error.retryAfterSeconds });
      } else if (error instanceof ApiClientError && error.code === "line_frozen") {
        // Frozen since the view loaded: reloading the line replaces this button with the reason.
        setOutcome(null);
        onDone();
      } else setOutcome({ kind: "failed", error });
    } finally {
      setBusy(false);
    }
  };
  const message =
    outcome === null
      ? null
      : outcome.kind === "done"
        ? t("reevaluateResult", { from: formatMoney(outcome.from, lang), to: formatMoney(outcome.to, lang) })
        : outcome.kind === "rate_limited"
          ? t("reevaluateRateLimited", { seconds: outcome.seconds ?? "?" })
          : t("errorPrefix", { message: errorText(outcome.error) });
  return (
    <div className="reevaluate">
      <button type="button" disabled={busy} onClick={() => dialog.current?.showModal()}>
        {t("reevaluateButton")}
      </button>
      {message !== null && (
        <p role="status" data-testid="reevaluate-result">
          {message}
        </p>
      )}
      <dialog ref={dialog} aria-labelledby="reeval-title" aria-describedby="reeval-explain">
        <h2 id="reeval-title">{t("reevaluateTitle")}</h2>
        <p id="reeval-explain">{t("reevaluateExplain")}</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </button>
          <button type="button" onClick={() => void confirm()}>
            {t("reevaluateConfirm")}
          </button>
        </div>
      </dialog>
    </div>
  );
}
