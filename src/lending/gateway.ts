// The payment-gateway port used by auto-debit: a synchronous pure function, so end of day stays pure.
// simulatedGateway decides by hashing (seed, lineId, date, attempt): the same inputs, the same answer.

import { assert, fnv1a32 } from "../kernel/index.js";

export interface AutoDebitRequest {
  readonly lineId: string;
  readonly customerId: string;
  readonly amountMinor: number;
  /** The business date, "YYYY-MM-DD". */
  readonly date: string;
  /** 1 on the due date, then 2, 3, … on the retry days. */
  readonly attempt: number;
}

export type AutoDebitResponse = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export type PaymentGateway = (request: AutoDebitRequest) => AutoDebitResponse;

const ppmMax = 1_000_000;

/** Fails a fraction `failureRatePpm` / 1e6 of the requests, chosen by hash. */
export function simulatedGateway(seed: number | string, failureRatePpm: number): PaymentGateway {
  assert(
    Number.isSafeInteger(failureRatePpm) && failureRatePpm >= 0 && failureRatePpm <= ppmMax,
    "a failure rate is an integer ppm in [0, 1e6]",
  );
  return (request) => {
    const hash = fnv1a32(`${seed}|${request.lineId}|${request.date}|${request.attempt}`);
    // hash / 2^32 < rate / 1e6, in integers: hash * 1e6 < rate * 2^32 (both exact below 2^53).
    return hash * ppmMax < failureRatePpm * 4_294_967_296
      ? { ok: false, reason: "insufficient_funds" }
      : { ok: true };
  };
}

/** A gateway that always collects: for tests and what-if runs. */
export const alwaysPaysGateway: PaymentGateway = () => ({ ok: true });

/** A gateway that never collects: for delinquency tests. */
export const neverPaysGateway: PaymentGateway = () => ({ ok: false, reason: "insufficient_funds" });
