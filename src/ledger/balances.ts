// Balances as a plain JSON object from account id to minor units; pure application of entries and an
// auditor that recomputes every balance from the postings and names each account that disagrees.

import { assert } from "../kernel/index.js";
import type { AccountId } from "./accounts.js";
import { type Entry, isBalanced } from "./entries.js";

/** Account id → balance in minor units (debit positive). Accounts never posted to are absent (zero). */
export type Balances = Readonly<Record<AccountId, number>>;

export const emptyBalances: Balances = Object.freeze({});

/** The balance of one account (zero when absent). */
export function balanceOf(balances: Balances, accountId: AccountId): number {
  return Object.hasOwn(balances, accountId) ? (balances[accountId] ?? 0) : 0;
}

/** Applies entries in order; returns a new object and never mutates the input. */
export function applyEntries(balances: Balances, entries: readonly Entry[]): Balances {
  const next: Record<AccountId, number> = { ...balances };
  for (const entry of entries) {
    assert(isBalanced(entry.postings), `entry ${entry.entryId} does not balance`);
    for (const p of entry.postings) {
      const value = (Object.hasOwn(next, p.accountId) ? (next[p.accountId] ?? 0) : 0) + p.amountMinor;
      assert(Number.isSafeInteger(value), `balance of ${p.accountId} left the safe integer range`);
      next[p.accountId] = value;
    }
  }
  return next;
}

export function applyEntry(balances: Balances, entry: Entry): Balances {
  return applyEntries(balances, [entry]);
}

/** The sum of all balances: zero for any ledger built from balanced entries. */
export function totalOfBalances(balances: Balances): number {
  let total = 0;
  for (const value of Object.values(balances)) total += value;
  return total;
}

export interface BalanceMismatch {
  readonly accountId: AccountId;
  readonly storedMinor: number;
  readonly expectedMinor: number;
}

export interface UnbalancedEntry {
  readonly entryId: string;
  readonly sumMinor: number;
}

export interface LedgerVerification {
  readonly ok: boolean;
  /** Every account whose stored balance differs from the sum of its postings, sorted by id. */
  readonly mismatches: readonly BalanceMismatch[];
  /** Every entry whose postings do not sum to zero (a stored entry was corrupted). */
  readonly unbalancedEntries: readonly UnbalancedEntry[];
  readonly duplicateEntryIds: readonly string[];
}

/** Recomputes every balance from the postings and compares it with the stored balances. */
export function verifyLedger(entries: readonly Entry[], stored: Balances): LedgerVerification {
  const expected = new Map<AccountId, number>();
  const unbalancedEntries: UnbalancedEntry[] = [];
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.entryId)) duplicates.add(entry.entryId);
    seen.add(entry.entryId);
    let sumMinor = 0;
    for (const p of entry.postings) {
      sumMinor += p.amountMinor;
      expected.set(p.accountId, (expected.get(p.accountId) ?? 0) + p.amountMinor);
    }
    if (!isBalanced(entry.postings)) unbalancedEntries.push({ entryId: entry.entryId, sumMinor });
  }
  const accounts = new Set<AccountId>([...expected.keys(), ...Object.keys(stored)]);
  const mismatches: BalanceMismatch[] = [];
  for (const accountId of [...accounts].sort()) {
    const storedMinor = balanceOf(stored, accountId);
    const expectedMinor = expected.get(accountId) ?? 0;
    if (storedMinor !== expectedMinor) mismatches.push({ accountId, storedMinor, expectedMinor });
  }
  const duplicateEntryIds = [...duplicates].sort();
  return {
    ok: mismatches.length === 0 && unbalancedEntries.length === 0 && duplicateEntryIds.length === 0,
    mismatches,
    unbalancedEntries,
    duplicateEntryIds,
  };
}
