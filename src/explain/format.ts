// Filling message templates at read time: "{name:kind}" or "{name:kind:one/other}" placeholders from a
// reason's params. One money format per language (zh-CN ¥9,800.00, en CNY 9,800.00), English plurals
// ("1 day", "2 days"), and sentences that start upper-case. Codes never appear: ids are turned into words.

import { formatMinor } from "../money/index.js";
import type { Lang, MessageParams, ParamValue } from "./types.js";

export interface LocalizedTemplate {
  readonly "zh-CN": string;
  readonly en: string;
}

/** The one money format of each language. */
export function formatMoney(minor: number, lang: Lang): string {
  const text = formatMinor(Math.abs(minor));
  return lang === "zh-CN" ? `¥${text}` : `CNY ${text}`;
}

function formatCount(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "over_borrowing_frequency" / "paymentCount30d" → "over borrowing frequency" / "payment count 30d". */
export function humanise(id: string): string {
  return id
    .replace(/_/g, " ")
    .replace(/([a-z])([A-Z0-9])/g, "$1 $2")
    .toLowerCase()
    .trim();
}

/** A feature's name in a sentence: the catalogue's topic (given by the caller), else the id in words. */
export type TopicLookup = (featureId: string, lang: Lang) => string | undefined;

function formatParam(
  value: ParamValue | undefined,
  kind: string,
  forms: string | undefined,
  lang: Lang,
  topic: TopicLookup,
): string {
  if (value === null || value === undefined) return lang === "zh-CN" ? "无" : "none";
  switch (kind) {
    case "money":
      return formatMoney(typeof value === "number" ? value : Number(value), lang);
    case "pct":
      return typeof value === "number" ? `${Math.round(value * 100)}%` : String(value);
    case "count":
    case "days": {
      const text = typeof value === "number" ? formatCount(value) : String(value);
      if (forms === undefined || lang === "zh-CN") return text;
      const [one, other] = forms.split("/") as [string, string | undefined];
      return `${text} ${value === 1 ? one : (other ?? one)}`;
    }
    case "auto":
      // A rule's tested value: ratios below 1 shown as percentages, counts as is.
      return typeof value === "number" && !Number.isInteger(value)
        ? `${Math.round(value * 100)}%`
        : String(value);
    case "feature":
      return topic(String(value), lang) ?? humanise(String(value));
    case "name":
      return humanise(String(value));
    default:
      return String(value);
  }
}

/** Fills a template's placeholders from params. */
export function fillTemplate(
  template: LocalizedTemplate,
  params: MessageParams,
  lang: Lang,
  topic: TopicLookup = () => undefined,
): string {
  return template[lang].replace(
    /\{(\w+):(\w+)(?::([^}]*))?\}/g,
    (_, name: string, kind: string, forms?: string) => formatParam(params[name], kind, forms, lang, topic),
  );
}

/** A sentence as a borrower reads it: English starts upper-case (zh-CN has no case). */
export function sentence(text: string, lang: Lang): string {
  if (lang !== "en" || text.length === 0) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
