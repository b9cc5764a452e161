// Chart of accounts: per-line receivables and settlement, plus the global income and funding accounts.
// Account ids are plain strings so that stored balances stay JSON (`line:<lineId>:<kind>`, `global:<kind>`).

export type LineAccountKind =
  | "principal_receivable"
  | "interest_receivable"
  | "penalty_receivable"
  | "borrower_settlement";

export type GlobalAccountKind = "interest_income" | "penalty_income" | "funding";

export const lineAccountKinds: readonly LineAccountKind[] = [
  "principal_receivable",
  "interest_receivable",
  "penalty_receivable",
  "borrower_settlement",
];

export const globalAccountKinds: readonly GlobalAccountKind[] = [
  "interest_income",
  "penalty_income",
  "funding",
];

export type AccountId = string;

/** `line:<lineId>:<kind>`. */
export function lineAccountId(lineId: string, kind: LineAccountKind): AccountId {
  return `line:${lineId}:${kind}`;
}

/** `global:<kind>`. */
export function globalAccountId(kind: GlobalAccountKind): AccountId {
  return `global:${kind}`;
}
