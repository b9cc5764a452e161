// A fast reader of occurredAt for the ingestion hot path: the common shape "YYYY-MM-DDTHH:MM:SS[.f]±HH:MM|Z"
// read with char codes; anything else goes to time's parseInstant. Property-tested equal to parseInstant.

import { daysInMonth, digitsAt, fromYmd, msPerDay, parseInstant } from "../time/index.js";

const zero = 48;

function fastInstantMs(text: string): number | null {
  const n = text.length;
  if (n < 20) return null;
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":")
    return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return null;
  }
  if (second < 0 || second > 59 || day > daysInMonth(year, month)) return null;
  let i = 19;
  let millis = 0;
  if (text[i] === ".") {
    let end = i + 1;
    while (end < n && end - i <= 9 && text.charCodeAt(end) >= zero && text.charCodeAt(end) <= zero + 9) end++;
    if (end === i + 1 || end - i > 10) return null;
    // The same arithmetic as parseInstant, so the two agree to the millisecond.
    millis = Math.floor(Number(`0.${text.slice(i + 1, end)}`) * 1000);
    i = end;
  }
  let offsetMinutes = 0;
  if (text[i] === "Z" && n === i + 1) offsetMinutes = 0;
  else if ((text[i] === "+" || text[i] === "-") && n === i + 6 && text[i + 3] === ":") {
    const oh = digitsAt(text, i + 1, 2);
    const om = digitsAt(text, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 14 || om > 59) return null;
    offsetMinutes = (text[i] === "-" ? -1 : 1) * (oh * 60 + om);
  } else return null;
  return (
    fromYmd(year, month, day) * msPerDay +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis
  );
}

/** Epoch ms of an ISO-8601 instant with an offset, or null when it is not one. */
export function instantMs(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const fast = fastInstantMs(text);
  if (fast !== null) return fast;
  const parsed = parseInstant(text);
  return parsed.ok ? parsed.value : null;
}
