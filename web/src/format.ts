// Display formatting: money from integer minor units (never through a float division), shares and dates.
// CNY has two minor digits; grouping follows the language.

import type { Lang } from "./api.js";

export const minorDigits = 2;
const minorPerMajor = 10 ** minorDigits;

function groupDigits(whole: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 0, useGrouping: true }).format(whole);
}

/** "¥20,000.00" from 2000000; a negative amount gets a minus sign. */
export function formatMoney(minor: number, lang: Lang): string {
  if (!Number.isSafeInteger(minor)) return "—";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / minorPerMajor);
  const fraction = String(abs % minorPerMajor).padStart(minorDigits, "0");
  return `${minor < 0 ? "−" : ""}¥${groupDigits(whole, lang)}.${fraction}`;
}

/** A change, always signed: "+¥2,000.00", "−¥500.00", "¥0.00". */
export function formatMoneyChange(minor: number, lang: Lang): string {
  if (minor > 0) return `+${formatMoney(minor, lang)}`;
  return formatMoney(minor, lang);
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
