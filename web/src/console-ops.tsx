// Console sections over recorded outcomes: champion/challenger arms, model monitoring, decision search with
// replay, portfolio reviews with live progress (polled while running) and the audit log.

import { type FormEvent, useEffect, useMemo, useState } from "react";
import type { AuditEntry, DecisionQuery, DecisionSummary, HeadroomApi, Replay, ReviewStatus } from "./api.js";
import { Chart, type ChartOption } from "./chart.js";
import { formatMoney, formatMoneyChange, formatShare, formatTimestamp, toMajor } from "./format.js";
import { type MessageKey, useI18n } from "./i18n.js";
import { ErrorNote, errorText, Loading, useLoad } from "./ui.js";

/** How often a running review is polled, in milliseconds. */
export const reviewPollIntervalMs = 1_000;
export const auditPageSize = 50;
export const decisionPageSize = 50;

export function ExperimentsPanel({ api }: { readonly api: HeadroomApi }) {
  const { t, lang } = useI18n();
  const report = useLoad(() => api.experiments(), [api]);
  const arms = report.data?.arms ?? [];
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 64, right: 8, top: 8, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: arms.map((a) => a.arm) },
      yAxis: { type: "value" },
      series: [
        {
          type: "bar",
          name: t("meanChange"),
          data: arms.map((a) => ({
            value: toMajor(a.meanChangeMinor),
            itemStyle: { color: a.meanChangeMinor >= 0 ? "#1b7f3b" : "#b3261e" },
          })),
        },
      ],
    }),
    [arms, t],
  );
  return (
    <section aria-labelledby="experiments-title">
      <h2 id="experiments-title">{t("tab_experiments")}</h2>
      <ErrorNote error={report.error} />
      {report.loading && report.data === null && <Loading />}
      {report.data !== null && arms.length === 0 && <p className="muted">{t("noArms")}</p>}
      {arms.length > 0 && (
        <>
          <Chart option={option} label={t("experimentsChartLabel")} height={200} />
          <div className="table-wrap">
            <table data-testid="experiments">
              <thead>
                <tr>
                  <th scope="col">{t("arm")}</th>
                  <th scope="col">{t("policyVersion")}</th>
                  <th scope="col">{t("decisionsCount")}</th>
                  <th scope="col">{t("meanChange")}</th>
                  <th scope="col">{t("increaseShare")}</th>
                  <th scope="col">{t("decreaseShare")}</th>
                  <th scope="col">{t("expectedLoss")}</th>
                </tr>
              </thead>
              <tbody>
                {arms.map((a) => (
                  <tr key={a.arm}>
                    <th scope="row">{a.arm}</th>
                    <td>{a.policyVersion}</td>
                    <td>{a.decisions.toLocaleString(lang)}</td>
                    <td>{formatMoneyChange(a.meanChangeMinor, lang)}</td>
                    <td>{formatShare(a.increaseShare, lang)}</td>
                    <td>{formatShare(a.decreaseShare, lang)}</td>
                    <td>{formatMoney(a.expectedLossMinor, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const fixed3 = (v: number | null) => (v === null ? "—" : v.toFixed(3));

export function ModelsPanel({ api }: { readonly api: HeadroomApi }) {
  const { t } = useI18n();
  const models = useLoad(() => api.models(), [api]);
  const [chosen, setChosen] = useState<string | null>(null);
  const items = models.data?.items ?? [];
  const modelId = chosen ?? items.find((m) => m.active)?.modelId ?? items[0]?.modelId ?? null;
  return (
    <section aria-labelledby="models-title">
      <h2 id="models-title">{t("modelsTitle")}</h2>
      <ErrorNote error={models.error} />
      {models.loading && models.data === null && <Loading />}
      {items.length > 0 && (
        <label className="inline">
          {t("modelSelectLabel")}{" "}
          <select value={modelId ?? ""} onChange={(e) => setChosen(e.target.value)}>
            {items.map((m) => (
              <option key={m.modelId} value={m.modelId}>
                {m.modelId}
                {m.active ? ` (${t("active")})` : ""}
              </option>
            ))}
          </select>
        </label>
      )}
      {modelId !== null && <Monitoring api={api} modelId={modelId} />}
    </section>
  );
}

function Monitoring({ api, modelId }: { readonly api: HeadroomApi; readonly modelId: string }) {
  const { t } = useI18n();
  const monitoring = useLoad(() => api.monitoring(modelId), [api, modelId]);
  const m = monitoring.data;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 8, top: 32, bottom: 32 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: (m?.history ?? []).map((h) => h.date) },
      yAxis: { type: "value", min: 0 },
      series: (["auc", "ks", "psi"] as const).map((k) => ({
        type: "line" as const,
        name: t(k),
        data: (m?.history ?? []).map((h) => h[k]),
      })),
    }),
    [m, t],
  );
  if (m === null) return monitoring.loading ? <Loading /> : <ErrorNote error={monitoring.error} />;
  return (
    <div data-testid="monitoring">
      <dl className="figures">
        <div>
          <dt>{t("psi")}</dt>
          <dd>{fixed3(m.psi)}</dd>
        </div>
        <div>
          <dt>{t("auc")}</dt>
          <dd>{fixed3(m.auc)}</dd>
        </div>
        <div>
          <dt>{t("ks")}</dt>
          <dd>{fixed3(m.ks)}</dd>
        </div>
      </dl>
      {m.history.length > 0 && <Chart option={option} label={t("monitoringChartLabel")} />}
      {m.characteristics.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("characteristic")}</th>
                <th scope="col">{t("psi")}</th>
              </tr>
            </thead>
            <tbody>
              {m.characteristics.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td className={c.psi >= 0.25 ? "down" : undefined}>{fixed3(c.psi)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function DecisionsPanel({ api }: { readonly api: HeadroomApi }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({ customerId: "", trigger: "", from: "", to: "" });
  const [query, setQuery] = useState<DecisionQuery>({ limit: decisionPageSize });
  const [rows, setRows] = useState<readonly DecisionSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [replays, setReplays] = useState<Record<string, Replay | string>>({});
  const [sources, setSources] = useState<Record<string, string>>({});

  const load = async (q: DecisionQuery, append: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.decisions({ ...q, lang });
      setRows((old) => (append ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on a new query or language only
  useEffect(() => {
    void load(query, false);
  }, [query, api, lang]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q: { -readonly [K in keyof DecisionQuery]: DecisionQuery[K] } = { limit: decisionPageSize };
    if (form.customerId.trim() !== "") q.customerId = form.customerId.trim();
    if (form.trigger.trim() !== "") q.trigger = form.trigger.trim();
    if (form.from !== "") q.from = form.from;
    if (form.to !== "") q.to = form.to;
    setQuery(q);
  };
  const replay = async (decisionId: string) => {
    try {
      const r = await api.replay(decisionId);
      setReplays((old) => ({ ...old, [decisionId]: r }));
    } catch (e) {
      setReplays((old) => ({ ...old, [decisionId]: errorText(e) }));
    }
  };
  // Who sent the events a decision was made from: each source with its count, the bureau/verification ones named.
  const showSources = async (decisionId: string) => {
    try {
      const s = await api.decisionSources(decisionId);
      const name = (source: string | null) => source ?? t("sourcesUnrecorded");
      const counts = s.sources.map((x) => `${name(x.source)} ${x.events}`).join(" · ");
      const inputs = s.limitInputs.map((x) => `${x.type} ← ${name(x.source)}`).join(" · ");
      setSources((old) => ({ ...old, [decisionId]: inputs === "" ? counts : `${counts} | ${inputs}` }));
    } catch (e) {
      setSources((old) => ({ ...old, [decisionId]: errorText(e) }));
    }
  };
  const field = (name: keyof typeof form, label: MessageKey, type: "text" | "date") => (
    <label>
      {t(label)}
      <input type={type} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t("searchDecisions")}</h2>
      <form className="search" onSubmit={submit}>
        {field("customerId", "customerIdLabel", "text")}
        {field("trigger", "triggerLabel", "text")}
        {field("from", "fromLabel", "date")}
        {field("to", "toLabel", "date")}
        <button type="submit">{t("search")}</button>
      </form>
      <ErrorNote error={error} />
      {loading && <Loading />}
      <div className="table-wrap">
        <table data-testid="decisions">
          <thead>
            <tr>
              <th scope="col">{t("date")}</th>
              <th scope="col">{t("customer")}</th>
              <th scope="col">{t("triggerLabel")}</th>
              <th scope="col">{t("change")}</th>
              <th scope="col">{t("score")}</th>
              <th scope="col">{t("reasonsTitle")}</th>
              <th scope="col">{t("replay")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const r = replays[d.decisionId];
              return (
                <tr key={d.decisionId}>
                  <td>{d.businessDate}</td>
                  <td>{d.customerId ?? ""}</td>
                  <td>{d.trigger}</td>
                  <td>
                    {formatMoney(d.previousLimitMinor, lang)} → {formatMoney(d.newLimitMinor, lang)}
                  </td>
                  <td>
                    {d.score === null ? "—" : Math.round(d.score)} {d.band ?? ""}
                  </td>
                  <td>{d.reasons.map((x) => x.message).join("; ")}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`${t("replay")} ${d.decisionId}`}
                      onClick={() => void replay(d.decisionId)}
                    >
                      {t("replay")}
                    </button>
                    {r !== undefined && (
                      <span role="status" className={typeof r === "string" || !r.identical ? "down" : "up"}>
                        {" "}
                        {typeof r === "string"
                          ? r
                          : r.identical
                            ? t("replayIdentical")
                            : t("replayDifferent", { count: r.differences.length })}
                      </span>
                    )}{" "}
                    <button
                      type="button"
                      aria-label={`${t("sources")} ${d.decisionId}`}
                      onClick={() => void showSources(d.decisionId)}
                    >
                      {t("sources")}
                    </button>
                    {sources[d.decisionId] !== undefined && (
                      <span role="status" className="muted" data-testid="decision-sources">
                        {" "}
                        {sources[d.decisionId]}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!loading && rows.length === 0 && error === null && <p className="muted">{t("noData")}</p>}
      {cursor !== null && (
        <button type="button" onClick={() => void load({ ...query, cursor }, true)}>
          {t("loadMore")}
        </button>
      )}
    </section>
  );
}

export function ReviewsPanel({ api }: { readonly api: HeadroomApi }) {
  const { t } = useI18n();
  const list = useLoad(() => api.reviews(), [api]);
  const [dryRun, setDryRun] = useState(true);
  const [current, setCurrent] = useState<ReviewStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = current?.status === "running";
  const currentId = current?.reviewId ?? null;

  // Poll the review while it runs; each answer schedules the next poll, so polls never overlap.
  // biome-ignore lint/correctness/useExhaustiveDependencies: poll per review id and running state
  useEffect(() => {
    if (currentId === null || !running) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.review(currentId).then(
        (status) => {
          if (cancelled) return;
          setCurrent(status);
          if (status.status !== "running") list.reload();
        },
        (e: unknown) => {
          if (!cancelled) setError(e);
        },
      );
    }, reviewPollIntervalMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, currentId, running, current]);

  const start = async () => {
    setError(null);
    try {
      const { reviewId } = await api.startReview(dryRun);
      setCurrent(await api.review(reviewId));
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t("reviewsTitle")}</h2>
      <div className="actions">
        <label className="inline">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />{" "}
          {t("dryRunLabel")}
        </label>
        <button type="button" disabled={running} onClick={() => void start()}>
          {t("startReview")}
        </button>
      </div>
      <ErrorNote error={error} />
      {current !== null && <ReviewProgress review={current} />}
      <ErrorNote error={list.error} />
      <div className="table-wrap">
        <table data-testid="reviews">
          <thead>
            <tr>
              <th scope="col">{t("started")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("lines")}</th>
              <th scope="col">{t("increases")}</th>
              <th scope="col">{t("decreases")}</th>
              <th scope="col">{t("unchanged")}</th>
              <th scope="col">{t("finished")}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.items ?? []).map((r) => (
              <tr key={r.reviewId}>
                <td>{formatTimestamp(r.startedAt)}</td>
                <td>{t(`review_${r.status}` as MessageKey)}</td>
                <td>
                  {r.done}/{r.total}
                </td>
                <td>{r.increases}</td>
                <td>{r.decreases}</td>
                <td>{r.unchanged}</td>
                <td>{r.finishedAt === null ? "—" : formatTimestamp(r.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ReviewProgress({ review }: { readonly review: ReviewStatus }) {
  const { t } = useI18n();
  return (
    <div className="card" data-testid="review-progress" aria-live="polite">
      <label className="progress">
        <span>
          {t("reviewProgressLabel", { id: review.reviewId })}: {review.done}/{review.total} ·{" "}
          {t(`review_${review.status}` as MessageKey)}
        </span>
        <progress max={Math.max(1, review.total)} value={review.done} />
      </label>
      <p className="muted">
        {t("increases")} {review.increases} · {t("decreases")} {review.decreases} · {t("unchanged")}{" "}
        {review.unchanged}
      </p>
    </div>
  );
}

export function AuditPanel({ api }: { readonly api: HeadroomApi }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<readonly AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const load = async (from: string | null) => {
    setLoading(true);
    try {
      const page = await api.audit(
        from === null ? { limit: auditPageSize } : { limit: auditPageSize, cursor: from },
      );
      setRows((old) => (from === null ? page.items : [...old, ...page.items]));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: first page once per client
  useEffect(() => {
    void load(null);
  }, [api]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("auditTitle")}</h2>
      <ErrorNote error={error} />
      {loading && <Loading />}
      <div className="table-wrap">
        <table data-testid="audit">
          <thead>
            <tr>
              <th scope="col">{t("at")}</th>
              <th scope="col">{t("actor")}</th>
              <th scope="col">{t("action")}</th>
              <th scope="col">{t("target")}</th>
              <th scope="col">{t("details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.auditId}>
                <td>{formatTimestamp(a.at)}</td>
                <td>{a.actor}</td>
                <td>
                  <code>{a.action}</code>
                </td>
                <td>{a.target}</td>
                <td>
                  <details>
                    <summary>{t("details")}</summary>
                    <pre>{JSON.stringify({ before: a.before, after: a.after }, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!loading && rows.length === 0 && error === null && <p className="muted">{t("noData")}</p>}
      {cursor !== null && (
        <button type="button" onClick={() => void load(cursor)}>
          {t("loadMore")}
        </button>
      )}
    </section>
  );
}
