// Small shared pieces: a loader hook that ignores stale answers, error and loading notes, and a money cell.

import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { ApiClientError } from "./api.js";
import { formatMoney } from "./format.js";
import { useI18n } from "./i18n.js";

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when the dependencies change; an answer that arrives after a newer request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's dependency list drives reloading
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (mine === generation.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current) setState({ data: null, error, loading: false });
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function errorText(error: unknown): string {
  if (error instanceof ApiClientError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorNote({ error }: { readonly error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  return (
    <p className="error" role="alert">
      {t("errorPrefix", { message: errorText(error) })}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" aria-live="polite">
      {t("loading")}
    </p>
  );
}

export function Money({ minor }: { readonly minor: number }) {
  const { lang } = useI18n();
  return <span className="money">{formatMoney(minor, lang)}</span>;
}

/** Parses an editor's text: JSON when it looks like JSON, else sent as `{ yaml }` for the server to parse. */
export function documentFromText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed.startsWith("{")) return JSON.parse(trimmed) as unknown;
  return { yaml: text };
}
