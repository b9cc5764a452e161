// ledger: double-entry accounts, balanced entries, balances as plain JSON, and the verifying auditor.
export {
  type AccountId,
  type GlobalAccountKind,
  globalAccountId,
  globalAccountKinds,
  type LineAccountKind,
  lineAccountId,
  lineAccountKinds,
} from "./accounts.js";
export {
  applyEntries,
  applyEntry,
  type BalanceMismatch,
  type Balances,
  balanceOf,
  emptyBalances,
  type LedgerVerification,
  totalOfBalances,
  type UnbalancedEntry,
  verifyLedger,
} from "./balances.js";
export {
  type Entry,
  type EntryKind,
  isBalanced,
  makeEntry,
  type Posting,
  postingsPerEntryMax,
} from "./entries.js";
