// Every lending rejection: a stable snake_case code (never reused), its message, and structured fields.
// Rejections are values; the state they were raised against is left unchanged.

import type { Rejection } from "../kernel/index.js";

export const lendingErrorCodes = [
  { code: "invalid_amount", message: "the amount is not a positive safe integer of minor units" },
  { code: "invalid_id", message: "an id is 1–100 characters of letters, digits and -_.:" },
  { code: "invalid_date", message: "the date is not a calendar date" },
  { code: "invalid_limit", message: "the limit is not a non-negative safe integer of minor units" },
  { code: "limit_out_of_range", message: "the limit is outside the product's limit range" },
  { code: "limit_not_rounded", message: "the limit is not a multiple of the product's limit step" },
  { code: "amount_below_minimum", message: "the drawdown is below the product's minimum" },
  { code: "amount_above_maximum", message: "the drawdown is above the product's per-drawdown maximum" },
  { code: "limit_exceeded", message: "the drawdown exceeds the available amount" },
  { code: "term_not_offered", message: "the product does not offer this term" },
  { code: "method_not_offered", message: "the product does not offer this repayment method" },
  { code: "line_frozen", message: "the line is frozen" },
  { code: "line_closed", message: "the line is closed" },
  { code: "line_not_frozen", message: "the line is not frozen" },
  { code: "line_delinquent", message: "the line has overdue instalments; pay the arrears to unfreeze it" },
  { code: "line_has_outstanding", message: "the line still has amounts owed" },
  { code: "date_before_line_opened", message: "the date is before the line opened" },
  { code: "date_already_closed", message: "end of day has already run for this business date" },
  { code: "end_of_day_pending", message: "end of day has not run for the previous business date" },
  { code: "end_of_day_out_of_order", message: "end of day must run for the next business date first" },
  { code: "duplicate_drawdown", message: "a drawdown with this id already exists on the line" },
  { code: "nothing_owed", message: "nothing is owed on the line" },
  { code: "repayment_exceeds_owed", message: "the repayment is larger than everything owed" },
  { code: "product_mismatch", message: "the product is not the line's product" },
] as const;

export type LendingErrorCode = (typeof lendingErrorCodes)[number]["code"];

export interface LendingRejection extends Rejection {
  readonly code: LendingErrorCode;
}

const messages: Readonly<Record<string, string>> = Object.fromEntries(
  lendingErrorCodes.map((e) => [e.code, e.message]),
);

/** A rejection with the catalogue message, optionally made specific, plus structured fields. */
export function lendingRejection(
  code: LendingErrorCode,
  fields: Record<string, unknown> = {},
  message?: string,
): LendingRejection {
  return { ...fields, code, message: message ?? messages[code] ?? code };
}
