// TypeBox schemas shared by routes: they validate requests and responses and become the OpenAPI document.
// Bodies are closed (`additionalProperties: false`) so a field a caller may not set is a 400, not ignored.

import { type TSchema, Type } from "@sinclair/typebox";
import { parseDate } from "../time/index.js";
import { ApiError } from "./errors.js";

export const pageSizeMax = 200;
export const pageSizeDefault = 50;
export const idLengthMax = 128;

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: "Error" },
);

/** An opaque id in a path: bounded, printable, no slashes. */
export const Id = Type.String({ minLength: 1, maxLength: idLengthMax, pattern: "^[A-Za-z0-9_.:@-]+$" });
export const Minor = Type.Integer({ description: "integer minor units (fen)" });
export const PositiveMinor = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const DateText = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" });
export const Lang = Type.Union([Type.Literal("zh-CN"), Type.Literal("en")]);
export const LineStatus = Type.Union([
  Type.Literal("active"),
  Type.Literal("frozen"),
  Type.Literal("closed"),
]);

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const LineResponse = Type.Object({
  lineId: Type.String(),
  customerId: Type.String(),
  limitMinor: Minor,
  availableMinor: Minor,
  outstandingMinor: Minor,
  status: LineStatus,
});

/** Error responses every route documents. */
export const errorResponses = {
  "4xx": { $ref: "Error#" },
  "5xx": { $ref: "Error#" },
} as const;

/** The page size a caller asked for, capped. */
export function pageSize(limit: number | undefined): number {
  return Math.min(limit ?? pageSizeDefault, pageSizeMax);
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | null {
  if (cursor === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (check(value)) return value;
  } catch {
    // not base64url JSON: reported below like any other malformed cursor
  }
  throw new ApiError("invalid_cursor", "the cursor is not one this server issued");
}

/**
 * A query's or body's date, checked as a calendar date (the schema's pattern lets 2026-02-30 through):
 * `invalid_date` (400) names the field, instead of a store that cannot read it failing with a 500.
 */
export function checkedDate(field: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDate(text);
  if (!parsed.ok)
    throw new ApiError("invalid_date", `${field}: ${parsed.error.message}`, { field, value: text });
  return text;
}

/** The longest decimal a decision cursor (a row's sequence number) is written with: Number.MAX_SAFE_INTEGER. */
const decisionCursorDigitsMax = 16;

/**
 * A decision page's cursor as the engine issued it (the last row's sequence number, a positive decimal), or
 * `invalid_cursor`: the decision store reads a cursor it cannot parse as "from the start", which would answer
 * the first page again to a caller who asked for a later one.
 */
export function checkedDecisionCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const n = Number(cursor);
  const issued =
    cursor.length <= decisionCursorDigitsMax && /^[1-9][0-9]*$/.test(cursor) && Number.isSafeInteger(n);
  if (!issued) throw new ApiError("invalid_cursor", "the cursor is not one this server issued");
  return cursor;
}

/** For a list this server never pages (its `nextCursor` is always null): any cursor is one it did not issue. */
export function refuseCursor(cursor: string | undefined): void {
  if (cursor !== undefined) throw new ApiError("invalid_cursor", "this list has no further pages to ask for");
}
