// Business dates as epoch-day integers (1970-01-01 = 0), pure calendar arithmetic (proleptic Gregorian),
// and the business date of an instant in a fixed-offset time zone. No Date object anywhere.

import { assert, type Brand, err, ok, type Result } from "../kernel/index.js";

export type BusinessDate = Brand<number, "BusinessDate">;

export const msPerDay = 86_400_000;

export function businessDate(epochDay: number): BusinessDate {
  assert(Number.isSafeInteger(epochDay), "a business date is an integer epoch day, got", epochDay);
  return epochDay as BusinessDate;
}

/** Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
export function fromYmd(year: number, month: number, day: number): BusinessDate {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return businessDate(era * 146097 + doe - 719468);
}

export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function toYmd(date: BusinessDate): Ymd {
  const z = date + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month of a year (0 for a month outside 1 … 12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  if (month === 4 || month === 6 || month === 9 || month === 11) return 30;
  return month >= 1 && month <= 12 ? 31 : 0;
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return businessDate(date + days);
}

export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return to - from;
}

/**
 * The date `months` months after `date`, on `dayOfMonth` (default: the day of `date`),
 * clamped to the end of the month (Jan 31 + 1 month = Feb 28 or 29).
 */
export function addMonthsClamped(date: BusinessDate, months: number, dayOfMonth?: number): BusinessDate {
  const { year, month, day } = toYmd(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return fromYmd(y, m, Math.min(dayOfMonth ?? day, daysInMonth(y, m)));
}

export interface InvalidDate {
  readonly code: "invalid_date";
  readonly message: string;
  readonly value: unknown;
}

/** The number the ASCII digits text[start, start + count) write, or −1 when one of them is not a digit. */
export function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

const hyphen = 45;

/** Parses "YYYY-MM-DD" strictly (exactly the strings /^(\d{4})-(\d{2})-(\d{2})$/ matches, read by hand). */
export function parseDate(text: unknown): Result<BusinessDate, InvalidDate> {
  const shaped =
    typeof text === "string" &&
    text.length === 10 &&
    text.charCodeAt(4) === hyphen &&
    text.charCodeAt(7) === hyphen;
  const year = shaped ? digitsAt(text, 0, 4) : -1;
  const month = shaped ? digitsAt(text, 5, 2) : -1;
  const day = shaped ? digitsAt(text, 8, 2) : -1;
  if (year < 0 || month < 0 || day < 0)
    return err({ code: "invalid_date", message: "a date is written YYYY-MM-DD", value: text });
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return err({ code: "invalid_date", message: `${text} is not a calendar date`, value: text });
  }
  return ok(fromYmd(year, month, day));
}

/**
 * `parseDate` for text that must be a date: throws `new failure(message)` when it is not — an Error by default;
 * AssertionError for a date the system wrote itself (a stored or recorded one), where a bad date is a bug.
 */
export function parseDateOrThrow(
  text: string,
  failure: new (message: string) => Error = Error,
): BusinessDate {
  const parsed = parseDate(text);
  if (!parsed.ok) throw new failure(parsed.error.message);
  return parsed.value;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDate(date: BusinessDate): string {
  const { year, month, day } = toYmd(date);
  const yyyy = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, "0");
  return `${yyyy}-${twoDigits(month)}-${twoDigits(day)}`;
}

export interface InvalidInstant {
  readonly code: "invalid_timestamp";
  readonly message: string;
  readonly value: unknown;
}

function invalidInstant(value: unknown, message: string): Result<number, InvalidInstant> {
  return err({ code: "invalid_timestamp", message, value });
}

/** Parses an ISO-8601 instant with an explicit offset ("2026-03-01T10:15:00+08:00" or "...Z") to epoch ms. */
export function parseInstant(text: unknown): Result<number, InvalidInstant> {
  const match =
    typeof text === "string"
      ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/.exec(text)
      : null;
  if (!match)
    return invalidInstant(text, "a timestamp is ISO-8601 with an offset, e.g. 2026-03-01T10:15:00+08:00");
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = match;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return invalidInstant(text, `${text}: no such date`);
  if (hour > 23 || minute > 59 || second > 59) return invalidInstant(text, `${text}: no such time of day`);
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== undefined) {
    const sign = zone.startsWith("-") ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return invalidInstant(text, `${text}: no such offset`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const epochMs =
    fromYmd(year, month, day) * msPerDay +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis;
  return ok(epochMs);
}

/** Time zones the core knows: fixed offsets (no daylight saving), by IANA name. */
export const fixedOffsetZones: Readonly<Record<string, number>> = Object.freeze({
  UTC: 0,
  "Etc/UTC": 0,
  "Asia/Shanghai": 480,
  "Asia/Hong_Kong": 480,
  "Asia/Macau": 480,
  "Asia/Taipei": 480,
  "Asia/Singapore": 480,
  "Asia/Kuala_Lumpur": 480,
  "Asia/Manila": 480,
  "Asia/Tokyo": 540,
  "Asia/Seoul": 540,
  "Asia/Jakarta": 420,
  "Asia/Bangkok": 420,
  "Asia/Kolkata": 330,
  "Asia/Dubai": 240,
});

export function zoneOffsetMinutes(timeZone: string): number {
  const offset = fixedOffsetZones[timeZone];
  assert(offset !== undefined, "unsupported time zone (fixed-offset zones only):", timeZone);
  return offset;
}

/** The calendar date of an instant in a time zone. */
export function businessDateOfInstant(epochMs: number, timeZone: string): BusinessDate {
  const local = epochMs + zoneOffsetMinutes(timeZone) * 60_000;
  return businessDate(Math.floor(local / msPerDay));
}

/** Midnight at the start of a business date in a time zone, as epoch ms. */
export function startOfBusinessDate(date: BusinessDate, timeZone: string): number {
  return date * msPerDay - zoneOffsetMinutes(timeZone) * 60_000;
}

/** "2026-03-01T10:15:00+08:00" for an instant in a zone (seconds precision). */
export function formatInstant(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone);
  const local = epochMs + offset * 60_000;
  const date = businessDate(Math.floor(local / msPerDay));
  const secondsOfDay = Math.floor((local - date * msPerDay) / 1000);
  const hh = String(Math.floor(secondsOfDay / 3600)).padStart(2, "0");
  const mm = String(Math.floor((secondsOfDay % 3600) / 60)).padStart(2, "0");
  const ss = String(secondsOfDay % 60).padStart(2, "0");
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const zone =
    offset === 0
      ? "Z"
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${formatDate(date)}T${hh}:${mm}:${ss}${zone}`;
}
