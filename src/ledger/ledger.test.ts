// Ledger properties: entries balance, balances sum to zero, and the auditor names every tampered account.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEntries,
  balanceOf,
  type Entry,
  globalAccountId,
  isBalanced,
  lineAccountId,
  makeEntry,
  totalOfBalances,
  verifyLedger,
} from "./index.js";

const accounts = [
  lineAccountId("L1", "principal_receivable"),
  lineAccountId("L1", "interest_receivable"),
  lineAccountId("L2", "borrower_settlement"),
  globalAccountId("funding"),
  globalAccountId("interest_income"),
];

/** A random balanced entry: random debits, and one credit account taking their sum. */
const entryArb = (index: number) =>
  fc
    .record({
      debits: fc.array(
        fc.record({ a: fc.integer({ min: 0, max: 4 }), m: fc.integer({ min: 1, max: 1e9 }) }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      credit: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ debits, credit }) =>
      makeEntry(`e${index}`, "drawdown", "2026-01-01", [
        ...debits.map((d) => ({ accountId: accounts[d.a]!, amountMinor: d.m })),
        { accountId: accounts[credit]!, amountMinor: -debits.reduce((s, d) => s + d.m, 0) },
      ]),
    );

const ledgerArb = fc
  .integer({ min: 1, max: 30 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entryArb(i))))
  .map((entries) => entries.filter((e): e is Entry => e !== null));

describe("ledger", () => {
  it("refuses to build an entry that does not balance", () => {
    expect(() =>
      makeEntry("x", "drawdown", "2026-01-01", [
        { accountId: accounts[0]!, amountMinor: 100 },
        { accountId: accounts[1]!, amountMinor: -99 },
      ]),
    ).toThrow(/does not balance/);
  });

  it("merges repeated accounts and drops zero postings; a fully cancelling entry is null", () => {
    const entry = makeEntry("x", "repayment", "2026-01-01", [
      { accountId: "a", amountMinor: 70 },
      { accountId: "a", amountMinor: 30 },
      { accountId: "b", amountMinor: 0 },
      { accountId: "c", amountMinor: -100 },
    ]);
    expect(entry?.postings).toEqual([
      { accountId: "a", amountMinor: 100 },
      { accountId: "c", amountMinor: -100 },
    ]);
    expect(makeEntry("y", "repayment", "2026-01-01", [])).toBeNull();
  });

  it("always balances: every entry sums to zero and so does the sum of all balances", () => {
    fc.assert(
      fc.property(ledgerArb, (entries) => {
        for (const e of entries) expect(isBalanced(e.postings)).toBe(true);
        const balances = applyEntries({}, entries);
        expect(totalOfBalances(balances)).toBe(0);
        expect(verifyLedger(entries, balances).ok).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it("applies entries without mutating the input balances", () => {
    const before = { a: 5 };
    const entry = makeEntry("x", "drawdown", "2026-01-01", [
      { accountId: "a", amountMinor: 10 },
      { accountId: "b", amountMinor: -10 },
    ])!;
    const after = applyEntries(before, [entry]);
    expect(before).toEqual({ a: 5 });
    expect(balanceOf(after, "a")).toBe(15);
    expect(balanceOf(after, "b")).toBe(-10);
    expect(balanceOf(after, "never")).toBe(0);
  });

  it("names every account whose stored balance disagrees with its postings", () => {
    fc.assert(
      fc.property(
        ledgerArb,
        fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (entries, tampered, delta) => {
          const balances = { ...applyEntries({}, entries) };
          for (const a of tampered) balances[accounts[a]!] = balanceOf(balances, accounts[a]!) + delta;
          const result = verifyLedger(entries, balances);
          expect(result.ok).toBe(false);
          expect(result.mismatches.map((m) => m.accountId)).toEqual(tampered.map((a) => accounts[a]!).sort());
          for (const m of result.mismatches) expect(m.storedMinor - m.expectedMinor).toBe(delta);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("reports corrupted (unbalanced) and duplicated entries", () => {
    const good = makeEntry("x", "drawdown", "2026-01-01", [
      { accountId: "a", amountMinor: 10 },
      { accountId: "b", amountMinor: -10 },
    ])!;
    const corrupted: Entry = { ...good, entryId: "y", postings: [{ accountId: "a", amountMinor: 10 }] };
    const result = verifyLedger([good, good, corrupted], { a: 30, b: -20 });
    expect(result.ok).toBe(false);
    expect(result.unbalancedEntries).toEqual([{ entryId: "y", sumMinor: 10 }]);
    expect(result.duplicateEntryIds).toEqual(["x"]);
    expect(result.mismatches).toEqual([]);
  });
});
