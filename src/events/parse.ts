// Validation of untrusted events (one NDJSON line or one decoded JSON value) into the typed contract.
// Rejections are values with stable codes; an accepted event is a fresh object holding only known fields.

import { assert, err, ok, type Result } from "../kernel/index.js";
import { type BusinessDate, businessDateOfInstant, parseDate, parseInstant } from "../time/index.js";
import { instantMs } from "./instant.js";
import { isEventType, payloadCheckers, payloadDateFields } from "./schema.js";
import { isReservedEventId, reservedEventIdPrefix } from "./sources.js";
import type { AnyEvent, EventType } from "./types.js";

/** Longest eventId (the idempotency key), in characters. */
export const eventIdLengthMax = 128;
/** Longest customerId, in characters. */
export const customerIdLengthMax = 128;
/** Default largest serialised payload, in UTF-8 bytes. */
export const payloadBytesMaxDefault = 4_096;
/** Room for the envelope around the payload when a whole line is measured, in UTF-8 bytes. */
export const envelopeBytesMax = 1_024;
/** Default allowance for clocks running ahead of ours, in milliseconds (5 minutes). */
export const futureToleranceMsDefault = 300_000;

export type EventRejectionCode =
  | "invalid_json"
  | "missing_field"
  | "invalid_field"
  | "unknown_type"
  | "negative_amount"
  | "occurred_in_future"
  | "payload_too_large"
  | "invalid_event_id"
  | "invalid_timestamp";

export interface EventRejection {
  readonly code: EventRejectionCode;
  readonly message: string;
  /** JSON pointer of the offending field ("/payload/amountMinor"), when there is one. */
  readonly path?: string;
  /** The eventId, once it is known to be valid: lets callers report which event was refused. */
  readonly eventId?: string;
}

export interface ParseEventOptions {
  /** The instant of validation, epoch ms (from the shell's Clock). */
  readonly nowMs: number;
  readonly futureToleranceMs?: number;
  readonly payloadBytesMax?: number;
}

const envelopeFields = ["eventId", "customerId", "type", "occurredAt", "payload"] as const;
/** True when a string holds a C0 control character or DEL (ids end up in logs and terminals). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** An id as events carry it: a string of 1 to `lengthMax` characters without control characters. */
function isIdText(value: unknown, lengthMax: number): value is string {
  return (
    typeof value === "string" && value.length >= 1 && value.length <= lengthMax && !hasControlCharacter(value)
  );
}

/** The rule isIdText checks, as a rejection's message for the field `name`. */
function idTextRule(name: string, lengthMax: number): string {
  return `${name} is a string of 1–${lengthMax} characters without control characters`;
}

function rejection(
  code: EventRejectionCode,
  message: string,
  path?: string,
  eventId?: string,
): Result<never, EventRejection> {
  const r: { code: EventRejectionCode; message: string; path?: string; eventId?: string } = { code, message };
  if (path !== undefined) r.path = path;
  if (eventId !== undefined) r.eventId = eventId;
  return err(r);
}

/** Bytes of a string in UTF-8, without an encoder (the core has no I/O primitives). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses one NDJSON line into an event, or the first reason it is refused. */
export function parseEventLine(text: string, options: ParseEventOptions): Result<AnyEvent, EventRejection> {
  const payloadBytesMax = options.payloadBytesMax ?? payloadBytesMaxDefault;
  // Measure the raw line before parsing it, so an enormous line costs no JSON.parse.
  if (text.length > payloadBytesMax + envelopeBytesMax) {
    const bytes = utf8ByteLength(text);
    if (bytes > payloadBytesMax + envelopeBytesMax) {
      return rejection(
        "payload_too_large",
        `the line is ${bytes} bytes; at most ${payloadBytesMax + envelopeBytesMax} are accepted`,
      );
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return rejection("invalid_json", "the line is not valid JSON");
  }
  return validateEvent(value, options);
}

/** Validates an already decoded JSON value (an HTTP body, a bus message) as an event. */
export function validateEvent(value: unknown, options: ParseEventOptions): Result<AnyEvent, EventRejection> {
  if (!isPlainObject(value)) return rejection("invalid_json", "an event is a JSON object");
  for (const field of envelopeFields) {
    if (value[field] === undefined) return rejection("missing_field", `${field} is required`, `/${field}`);
  }
  for (const field of Object.keys(value)) {
    if (!(envelopeFields as readonly string[]).includes(field)) {
      return rejection("invalid_field", `unexpected field ${field}`, `/${field}`);
    }
  }
  const { eventId, customerId, type, occurredAt, payload } = value;
  if (!isIdText(eventId, eventIdLengthMax)) {
    return rejection("invalid_event_id", idTextRule("eventId", eventIdLengthMax), "/eventId");
  }
  if (isReservedEventId(eventId)) {
    return rejection(
      "invalid_event_id",
      `eventIds starting with ${reservedEventIdPrefix} are reserved for the engine's own events`,
      "/eventId",
    );
  }
  if (!isIdText(customerId, customerIdLengthMax)) {
    return rejection("invalid_field", idTextRule("customerId", customerIdLengthMax), "/customerId", eventId);
  }
  if (typeof type !== "string") return rejection("invalid_field", "type is a string", "/type", eventId);
  if (!isEventType(type)) return rejection("unknown_type", `unknown event type ${type}`, "/type", eventId);
  const atMs = instantMs(occurredAt);
  if (atMs === null) {
    const instant = parseInstant(occurredAt);
    const message = instant.ok ? "occurredAt is not an instant" : instant.error.message;
    return rejection("invalid_timestamp", message, "/occurredAt", eventId);
  }
  const toleranceMs = options.futureToleranceMs ?? futureToleranceMsDefault;
  if (atMs > options.nowMs + toleranceMs) {
    return rejection(
      "occurred_in_future",
      `occurredAt ${String(occurredAt)} is more than ${toleranceMs} ms ahead of now`,
      "/occurredAt",
      eventId,
    );
  }
  if (!isPlainObject(payload))
    return rejection("invalid_field", "payload is a JSON object", "/payload", eventId);
  const payloadBytesMax = options.payloadBytesMax ?? payloadBytesMaxDefault;
  const payloadBytes = utf8ByteLength(JSON.stringify(payload));
  if (payloadBytes > payloadBytesMax) {
    return rejection(
      "payload_too_large",
      `the payload is ${payloadBytes} bytes; at most ${payloadBytesMax} are accepted`,
      "/payload",
      eventId,
    );
  }
  const payloadProblem = checkPayload(type, payload);
  if (payloadProblem !== null) {
    return rejection(payloadProblem.code, payloadProblem.message, payloadProblem.path, eventId);
  }
  return ok({ eventId, customerId, type, occurredAt: occurredAt as string, payload } as AnyEvent);
}

interface PayloadProblem {
  readonly code: EventRejectionCode;
  readonly message: string;
  readonly path: string;
}

function checkPayload(type: EventType, payload: Record<string, unknown>): PayloadProblem | null {
  const checker = payloadCheckers.get(type);
  if (checker === undefined)
    return { code: "unknown_type", message: `unknown event type ${type}`, path: "/type" };
  if (!checker.Check(payload)) {
    const first = checker.Errors(payload).First();
    const path = `/payload${first?.path ?? ""}`;
    const value = first?.value;
    if (value === undefined) return { code: "missing_field", message: `${path} is required`, path };
    if (typeof value === "number" && value < 0) {
      return { code: "negative_amount", message: `${path} must not be negative, got ${value}`, path };
    }
    return { code: "invalid_field", message: `${path}: ${first?.message ?? "invalid"}`, path };
  }
  for (const field of payloadDateFields[type] ?? []) {
    const parsed = parseDate(payload[field]);
    if (!parsed.ok)
      return { code: "invalid_field", message: parsed.error.message, path: `/payload/${field}` };
  }
  return null;
}

/** Epoch ms of an accepted event's occurredAt (validated on acceptance, so a failure here is a bug). */
export function occurredAtMs(event: AnyEvent): number {
  const ms = instantMs(event.occurredAt);
  assert(ms !== null, "occurredAt of an accepted event parses");
  return ms;
}

/** The business date of an event: the calendar date of occurredAt in the product's time zone. */
export function eventBusinessDate(event: AnyEvent, timeZone: string): BusinessDate {
  return businessDateOfInstant(occurredAtMs(event), timeZone);
}

/** The order of the log: occurredAt, then eventId (code-unit order, as the databases compare bytes). */
export function compareEventOrder(
  a: { readonly occurredAtMs: number; readonly eventId: string },
  b: { readonly occurredAtMs: number; readonly eventId: string },
): number {
  if (a.occurredAtMs !== b.occurredAtMs) return a.occurredAtMs < b.occurredAtMs ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}
