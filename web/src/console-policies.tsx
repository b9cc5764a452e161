// Policies and macro settings: versions with activation, a document editor whose what-if (by band) must be run
// before the document is published, and the macro editor whose announcement publishes with a review.

import { useEffect, useMemo, useState } from "react";
import { ApiClientError, type HeadroomApi, type WhatIfResult } from "./api.js";
import { Chart, type ChartOption } from "./chart.js";
import { formatMoneyChange } from "./format.js";
import { useI18n } from "./i18n.js";
import { documentFromText, ErrorNote, Loading, useLoad } from "./ui.js";

/** The `details.problems` of a `policy_invalid` answer, when present. */
function problemsOf(error: unknown): readonly { path: string; message: string }[] {
  if (!(error instanceof ApiClientError)) return [];
  const problems = (error.details as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems)
    ? problems.filter(
        (p): p is { path: string; message: string } =>
          typeof p === "object" && p !== null && "path" in p && "message" in p,
      )
    : [];
}

function Problems({ error }: { readonly error: unknown }) {
  const { t } = useI18n();
  const problems = problemsOf(error);
  if (problems.length === 0) return <ErrorNote error={error} />;
  return (
    <div role="alert" className="error">
      <p>{t("problems")}</p>
      <ul>
        {problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function WhatIfView({ result }: { readonly result: WhatIfResult }) {
  const { t, lang } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 8, top: 32, bottom: 24 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: result.byBand.map((b) => b.band) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          type: "bar",
          stack: "n",
          name: t("increases"),
          data: result.byBand.map((b) => b.increases),
          itemStyle: { color: "#1b7f3b" },
        },
        {
          type: "bar",
          stack: "n",
          name: t("decreases"),
          data: result.byBand.map((b) => b.decreases),
          itemStyle: { color: "#b3261e" },
        },
        {
          type: "bar",
          stack: "n",
          name: t("unchanged"),
          data: result.byBand.map((b) => b.unchanged),
          itemStyle: { color: "#6b7a90" },
        },
      ],
    }),
    [result, t],
  );
  const rows = [...result.byBand, { ...result, band: t("allBands") }];
  return (
    <div className="card" data-testid="what-if">
      <h3>{t("whatIfTitle")}</h3>
      {result.byBand.length > 0 && <Chart option={option} label={t("whatIfChartLabel")} height={220} />}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("band")}</th>
              <th scope="col">{t("lines")}</th>
              <th scope="col">{t("increases")}</th>
              <th scope="col">{t("decreases")}</th>
              <th scope="col">{t("unchanged")}</th>
              <th scope="col">{t("exposureChange")}</th>
              <th scope="col">{t("expectedLossChange")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((b, i) => (
              <tr key={b.band} className={i === rows.length - 1 ? "total" : undefined}>
                <th scope="row">{b.band}</th>
                <td>{b.lines}</td>
                <td>{b.increases}</td>
                <td>{b.decreases}</td>
                <td>{b.unchanged}</td>
                <td>{formatMoneyChange(b.exposureChangeMinor, lang)}</td>
                <td>{formatMoneyChange(b.expectedLossChangeMinor, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function PoliciesPanel({ api }: { readonly api: HeadroomApi }) {
  const { t, lang } = useI18n();
  const versions = useLoad(() => api.policies(), [api]);
  const [text, setText] = useState("");
  const [whatIf, setWhatIf] = useState<{ text: string; result: WhatIfResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [weights, setWeights] = useState<Record<string, string>>({});

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const runWhatIf = () =>
    run(async () => {
      const policy = documentFromText(text);
      const result = await api.whatIf(policy === undefined ? {} : { policy });
      setWhatIf({ text, result });
    });
  const publish = () =>
    run(async () => {
      const document = documentFromText(text);
      if (document === undefined) return;
      const published = await api.publishPolicy(document);
      setNotice(t("published", { what: String(published.policyId ?? published.subject ?? "") }));
      versions.reload();
    });
  const activate = (policyId: string, version: number) =>
    run(async () => {
      const raw = weights[`${policyId}@${version}`];
      const weight = raw === undefined || raw === "" ? undefined : Number(raw);
      await api.activatePolicy(policyId, version, weight);
      setNotice(t("activated", { policy: policyId, version }));
      versions.reload();
    });
  const whatIfCurrent = whatIf !== null && whatIf.text === text;

  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">{t("policyVersions")}</h2>
      <ErrorNote error={versions.error} />
      {versions.loading && versions.data === null && <Loading />}
      {versions.data !== null && (
        <div className="table-wrap">
          <table data-testid="policy-versions">
            <thead>
              <tr>
                <th scope="col">{t("policyId")}</th>
                <th scope="col">{t("version")}</th>
                <th scope="col">{t("effectiveDate")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("weight")}</th>
                <th scope="col">{t("createdAt")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("activate")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.data.items.map((p) => {
                const id = `${p.policyId}@${p.version}`;
                return (
                  <tr key={id}>
                    <td>{p.policyId}</td>
                    <td>{p.version}</td>
                    <td>{p.effectiveDate}</td>
                    <td>{p.status === "active" ? t("active") : t("inactive")}</td>
                    <td>{p.weight.toLocaleString(lang)}</td>
                    <td>{p.createdAt.slice(0, 10)}</td>
                    <td className="row-actions">
                      <input
                        type="number"
                        min={1}
                        inputMode="numeric"
                        className="narrow"
                        aria-label={t("activateWeightLabel", { policy: p.policyId, version: p.version })}
                        value={weights[id] ?? ""}
                        onChange={(e) => setWeights({ ...weights, [id]: e.target.value })}
                      />
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void activate(p.policyId, p.version)}
                      >
                        {t("activate")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="card">
        <label htmlFor="policy-editor">{t("policyEditorLabel")}</label>
        <textarea
          id="policy-editor"
          rows={10}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void runWhatIf()}>
            {t("runWhatIf")}
          </button>
          <button
            type="button"
            disabled={busy || !whatIfCurrent || text.trim() === ""}
            aria-describedby="publish-hint"
            onClick={() => void publish()}
          >
            {t("publishPolicy")}
          </button>
        </div>
        {!whatIfCurrent && (
          <p id="publish-hint" className="muted">
            {t("publishNeedsWhatIf")}
          </p>
        )}
        <Problems error={error} />
        {notice !== null && <p role="status">{notice}</p>}
      </div>
      {whatIf !== null && <WhatIfView result={whatIf.result} />}
    </section>
  );
}

export function MacroPanel({ api }: { readonly api: HeadroomApi }) {
  const { t } = useI18n();
  const macro = useLoad(() => api.macro(), [api]);
  const [text, setText] = useState("");
  const [whatIf, setWhatIf] = useState<WhatIfResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const document = macro.data?.document;
    if (document !== undefined && document !== null) setText(JSON.stringify(document, null, 2));
  }, [macro.data]);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const preview = () =>
    run(async () => {
      const document = documentFromText(text);
      setWhatIf(await api.whatIf(document === undefined ? {} : { macro: document }));
    });
  const publish = () =>
    run(async () => {
      const document = documentFromText(text);
      if (document === undefined) return;
      const r = await api.putMacro(document);
      setNotice(
        t("macroPublished", {
          version: r.version,
          announcement: r.announcementId ?? "—",
          review: r.reviewId ?? "—",
        }),
      );
      macro.reload();
    });

  return (
    <section aria-labelledby="macro-title">
      <h2 id="macro-title">{t("macroTitle")}</h2>
      <ErrorNote error={macro.error} />
      {macro.data !== null && <p className="muted">{t("macroVersion", { version: macro.data.version })}</p>}
      <div className="card">
        <label htmlFor="macro-editor">{t("macroEditorLabel")}</label>
        <textarea
          id="macro-editor"
          rows={14}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void preview()}>
            {t("previewMacro")}
          </button>
          <button type="button" disabled={busy || text.trim() === ""} onClick={() => void publish()}>
            {t("publishMacro")}
          </button>
        </div>
        <Problems error={error} />
        {notice !== null && (
          <p role="status">
            {notice} <a href="#/console/reviews">{t("tab_reviews")}</a>
          </p>
        )}
      </div>
      {whatIf !== null && <WhatIfView result={whatIf} />}
    </section>
  );
}
