// Double-entry postings: an entry is a balanced set of postings (debits positive, credits negative,
// sum exactly zero), built only through makeEntry, which asserts the balance.

import { assert } from "../kernel/index.js";
import type { AccountId } from "./accounts.js";

export interface Posting {
  readonly accountId: AccountId;
  /** Minor units; a debit is positive, a credit negative. Never zero. */
  readonly amountMinor: number;
}

export type EntryKind = "drawdown" | "interest_accrual" | "penalty_accrual" | "repayment";

export interface Entry {
  /** Deterministic and unique: `<lineId>:<kind>:<id>`. */
  readonly entryId: string;
  readonly kind: EntryKind;
  /** The business date, "YYYY-MM-DD". */
  readonly businessDate: string;
  readonly postings: readonly Posting[];
}

export const postingsPerEntryMax = 64;

/** True when the postings sum to zero and every amount is a non-zero safe integer. */
export function isBalanced(postings: readonly Posting[]): boolean {
  let total = 0;
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor === 0) return false;
    total += p.amountMinor;
    if (!Number.isSafeInteger(total)) return false;
  }
  return total === 0;
}

/**
 * Builds an entry from postings, dropping zero amounts and merging repeated accounts; asserts balance.
 * An entry whose postings all cancel is returned as null (nothing moved).
 */
export function makeEntry(
  entryId: string,
  kind: EntryKind,
  businessDate: string,
  postings: readonly Posting[],
): Entry | null {
  const merged = new Map<AccountId, number>();
  for (const p of postings) {
    assert(Number.isSafeInteger(p.amountMinor), `posting to ${p.accountId} is not a safe integer`);
    merged.set(p.accountId, (merged.get(p.accountId) ?? 0) + p.amountMinor);
  }
  const kept: Posting[] = [];
  for (const [accountId, amountMinor] of merged) if (amountMinor !== 0) kept.push({ accountId, amountMinor });
  assert(kept.length <= postingsPerEntryMax, `entry ${entryId} has too many postings`);
  assert(isBalanced(kept), `entry ${entryId} does not balance`);
  return kept.length === 0 ? null : { entryId, kind, businessDate, postings: kept };
}
