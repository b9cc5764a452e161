// Display formatting: money from integer minor units (never through a float division), shares and dates.
// One money format per language, the server's own (src/explain/format.ts): zh-CN "¥9,800.00", en
// "CNY 9,800.00", so client-formatted amounts and the server's sentences read alike. CNY has two minor digits.

import type { Lang } from "./api.js";

export const minorDigits = 2;
const minorPerMajor = 10 ** minorDigits;

/** The currency as each language writes it before an amount. */
export const currencyPrefix: Readonly<Record<Lang, string>> = { "zh-CN": "¥", en: "CNY " };

function groupDigits(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "CNY 20,000.00" (en) or "¥20,000.00" (zh-CN) from 2000000; a negative amount gets a minus sign. */
export function formatMoney(minor: number, lang: Lang): string {
  if (!Number.isSafeInteger(minor)) return "—";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / minorPerMajor);
  const fraction = String(abs % minorPerMajor).padStart(minorDigits, "0");
  return `${minor < 0 ? "−" : ""}${currencyPrefix[lang]}${groupDigits(whole)}.${fraction}`;
}

/** A change, always signed: "+CNY 2,000.00", "−¥500.00", "CNY 0.00". */
export function formatMoneyChange(minor: number, lang: Lang): string {
  if (minor > 0) return `+${formatMoney(minor, lang)}`;
  return formatMoney(minor, lang);
}

/** A chart axis label in major units, in the language's money format without the minor digits. */
export function formatMajorAxis(major: number, lang: Lang): string {
  return `${major < 0 ? "−" : ""}${currencyPrefix[lang]}${Math.abs(major).toLocaleString("en-US")}`;
}

/** Minor units to major units for chart axes only (charts draw floats; labels use formatMoney). */
export function toMajor(minor: number): number {
  return minor / minorPerMajor;
}

/** 0.25 → "25.0%". */
export function formatShare(share: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}

/** "YYYY-MM-DD" plus whole days, in UTC arithmetic so no time zone moves the date. */
export function addDays(date: string, days: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** An ISO timestamp shown as "YYYY-MM-DD HH:MM" UTC. */
export function formatTimestamp(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}
