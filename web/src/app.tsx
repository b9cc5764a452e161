// The application shell: language (stored choice, else the browser's preference; `lang` on <html> follows it),
// hash routes for the two views, and the sessions (a demo session or a pasted API key) each view needs.

import { type FormEvent, useCallback, useEffect, useMemo, useState } from "react";
import { ApiClientError, HeadroomApi, type Lang } from "./api.js";
import { BorrowerView } from "./borrower-view.js";
import { type ConsoleTab, ConsoleView, isConsoleTab } from "./console-view.js";
import { formatMoney } from "./format.js";
import { I18nContext, isLang, type MessageKey, preferredLang, translate, useI18n } from "./i18n.js";
import { ErrorNote, Loading, useLoad } from "./ui.js";

const langStoreKey = "headroom.lang";
const borrowerStoreKey = "headroom.borrower";
const operatorStoreKey = "headroom.operator";

type Route = { view: "borrower" } | { view: "console"; tab: ConsoleTab };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  if (parts[0] === "console") {
    const tab = parts[1] ?? "overview";
    return { view: "console", tab: isConsoleTab(tab) ? tab : "overview" };
  }
  return { view: "borrower" };
}

interface BorrowerSession {
  readonly key: string;
  readonly customerId: string;
}

function readJson<T>(key: string, valid: (v: unknown) => v is T): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    const value: unknown = raw === null ? null : JSON.parse(raw);
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, JSON.stringify(value));
}

const isBorrowerSession = (v: unknown): v is BorrowerSession =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as BorrowerSession).key === "string" &&
  typeof (v as BorrowerSession).customerId === "string";
const isKey = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function initialLang(): Lang {
  const stored = localStorage.getItem(langStoreKey);
  if (isLang(stored)) return stored;
  return preferredLang(navigator.languages ?? [navigator.language]);
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [borrower, setBorrower] = useState<BorrowerSession | null>(() =>
    readJson(borrowerStoreKey, isBorrowerSession),
  );
  const [operatorKey, setOperatorKey] = useState<string | null>(() => readJson(operatorStoreKey, isKey));

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `Headroom — ${translate(lang, "tagline")}`;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(langStoreKey, next);
    setLangState(next);
  }, []);
  const i18n = useMemo(
    () => ({
      lang,
      setLang,
      t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => translate(lang, key, vars),
    }),
    [lang, setLang],
  );
  const saveBorrower = (s: BorrowerSession | null) => {
    writeJson(borrowerStoreKey, s);
    setBorrower(s);
  };
  const saveOperator = (k: string | null) => {
    writeJson(operatorStoreKey, k);
    setOperatorKey(k);
  };
  const publicApi = useMemo(() => new HeadroomApi(null), []);
  const borrowerApi = useMemo(
    () => (borrower ? publicApi.withKey(borrower.key) : null),
    [publicApi, borrower],
  );
  const operatorApi = useMemo(
    () => (operatorKey ? publicApi.withKey(operatorKey) : null),
    [publicApi, operatorKey],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main">
        {i18n.t("skipToContent")}
      </a>
      <Header
        route={route}
        signedIn={route.view === "borrower" ? borrower !== null : operatorKey !== null}
        onSignOut={() => (route.view === "borrower" ? saveBorrower(null) : saveOperator(null))}
      />
      <main id="main" tabIndex={-1}>
        {route.view === "borrower" ? (
          borrowerApi && borrower ? (
            <BorrowerView api={borrowerApi} customerId={borrower.customerId} />
          ) : (
            <BorrowerSignIn api={publicApi} onSession={saveBorrower} />
          )
        ) : operatorApi ? (
          <ConsoleView api={operatorApi} tab={route.tab} />
        ) : (
          <OperatorSignIn api={publicApi} onKey={saveOperator} />
        )}
      </main>
    </I18nContext.Provider>
  );
}

function Header({
  route,
  signedIn,
  onSignOut,
}: {
  readonly route: Route;
  readonly signedIn: boolean;
  readonly onSignOut: () => void;
}) {
  const { t, lang, setLang } = useI18n();
  return (
    <header className="top">
      <div className="brand">
        <strong>{t("appName")}</strong> <span className="muted">{t("tagline")}</span>
      </div>
      <nav aria-label={t("appName")}>
        <a href="#/borrower" aria-current={route.view === "borrower" ? "page" : undefined}>
          {t("navBorrower")}
        </a>
        <a href="#/console/overview" aria-current={route.view === "console" ? "page" : undefined}>
          {t("navConsole")}
        </a>
      </nav>
      <div className="tools">
        <label>
          {t("language")}{" "}
          <select
            data-testid="language"
            value={lang}
            onChange={(e) => {
              if (isLang(e.target.value)) setLang(e.target.value);
            }}
          >
            <option value="zh-CN" lang="zh-CN">
              中文
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
        {signedIn && (
          <button type="button" className="secondary" onClick={onSignOut}>
            {t("signOut")}
          </button>
        )}
      </div>
    </header>
  );
}

function KeyForm({ onKey, id }: { readonly onKey: (key: string) => Promise<void>; readonly id: string }) {
  const { t } = useI18n();
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await onKey(key.trim());
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="key-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{t("pasteKeyLabel")}</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={key}
        onChange={(e) => setKey(e.target.value)}
      />
      <button type="submit" disabled={key.trim() === ""}>
        {t("pasteKeySubmit")}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function BorrowerSignIn({
  api,
  onSession,
}: {
  readonly api: HeadroomApi;
  readonly onSession: (s: BorrowerSession) => void;
}) {
  const { t, lang } = useI18n();
  const demo = useLoad(() => api.demoCustomers(), [api]);
  const [error, setError] = useState<unknown>(null);
  const open = async (customerId: string) => {
    setError(null);
    try {
      const { key } = await api.demoSession({ role: "borrower", customerId });
      onSession({ key, customerId });
    } catch (e) {
      setError(e);
    }
  };
  const demoOff = demo.error instanceof ApiClientError && demo.error.status === 404;
  return (
    <section aria-labelledby="signin-title" className="card">
      <h1 id="signin-title">{t("borrowerSignInTitle")}</h1>
      <h2>{t("demoCustomersTitle")}</h2>
      {demo.loading && <Loading />}
      {demoOff ? <p className="muted">{t("demoUnavailable")}</p> : <ErrorNote error={demo.error} />}
      {demo.data !== null && (
        <>
          <p className="muted">{t("demoCustomersHint")}</p>
          <ul className="demo-customers">
            {demo.data.items.map((c) => (
              <li key={c.customerId}>
                <button
                  type="button"
                  className="link-like"
                  data-testid="demo-customer"
                  data-last-change={c.lastChange}
                  onClick={() => void open(c.customerId)}
                >
                  {t("demoOpenAs", { customerId: c.customerId, persona: c.persona })}
                </button>{" "}
                <span className="muted">
                  {formatMoney(c.limitMinor, lang)} · {t(`lastChange_${c.lastChange}` as MessageKey)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorNote error={error} />
      <KeyForm
        id="borrower-key"
        onKey={async (key) => {
          const me = await api.withKey(key).me();
          if (me.role !== "borrower" || me.customerId === null) throw new Error(t("wrongRoleBorrower"));
          onSession({ key, customerId: me.customerId });
        }}
      />
    </section>
  );
}

function OperatorSignIn({
  api,
  onKey,
}: {
  readonly api: HeadroomApi;
  readonly onKey: (key: string) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const demo = async () => {
    setError(null);
    try {
      onKey((await api.demoSession({ role: "operator" })).key);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="op-signin-title" className="card">
      <h1 id="op-signin-title">{t("operatorSignInTitle")}</h1>
      <button type="button" data-testid="demo-operator" onClick={() => void demo()}>
        {t("demoOperator")}
      </button>
      <ErrorNote error={error} />
      <KeyForm
        id="operator-key"
        onKey={async (key) => {
          const me = await api.withKey(key).me();
          if (me.role === "borrower") throw new Error(t("wrongRoleOperator"));
          onKey(key);
        }}
      />
    </section>
  );
}
