// `headroom audit verify`: walks both chains in seq order in one read snapshot and names every row that breaks
// them — a column that disagrees with the row's record, a record that no longer hashes to its record_hash, a
// chain_hash that does not follow from its predecessor (a row removed, inserted, reordered, or its seq or hash
// changed), a row outside the chain, postings that differ from their entry — and an anchor whose head or HMAC
// does not match (rows removed at the end, or the whole chain rewritten without the key).
// After a break the walk goes on from both the expected and the stored hash, so one change is named once.

import type { Entry } from "../../ledger/index.js";
import { decodeRecord, type RowHeldColumns } from "../records/record-codec.js";
import type { Db, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import { anchorHmac, type ChainTable, chainTables, genesisChainHash, linkHash, readAnchor } from "./chain.js";
import { type AuditKey, auditKeyInUse } from "./key.js";
import {
  decisionColumnsOf,
  decisionDerivedColumns,
  decisionRecordHash,
  ledgerColumnsOf,
  ledgerRecordHash,
} from "./records.js";

/** Rows read per statement while walking a chain. */
export const verifyPageRowsMax = 2_000;
/** Violations listed in a report (the count goes on past it). */
export const auditViolationsMax = 1_000;

export type AuditViolationKind =
  | "column_mismatch"
  | "record_hash_mismatch"
  | "record_unreadable"
  | "chain_break"
  | "unchained_row"
  | "unsealed_rows"
  | "postings_mismatch"
  | "orphan_postings"
  | "anchor_missing"
  | "anchor_mismatch"
  | "anchor_hmac_mismatch";

export interface AuditViolation {
  readonly table: ChainTable | "postings";
  readonly kind: AuditViolationKind;
  /** The row's seq (null: not a row's, or a ledger row outside the chain). */
  readonly seq: number | null;
  /** decision_id or entry_id (null: not a row's). */
  readonly id: string | null;
  readonly message: string;
}

export interface ChainSummary {
  readonly table: ChainTable;
  /** Rows walked. */
  readonly rows: number;
  /** The anchor as stored (null: missing). */
  readonly anchor: { readonly seq: number; readonly chainHash: string; readonly sealed: boolean } | null;
}

export interface AuditReport {
  readonly ok: boolean;
  /** The public development key is in use: the anchors prove nothing against someone who knows it. */
  readonly developmentKey: boolean;
  readonly chains: readonly ChainSummary[];
  /** How many violations were found; `violations` lists the first auditViolationsMax. */
  readonly violationCount: number;
  readonly violations: readonly AuditViolation[];
}

class Findings {
  count = 0;
  readonly list: AuditViolation[] = [];
  add(v: AuditViolation): void {
    this.count++;
    if (this.list.length < auditViolationsMax) this.list.push(v);
  }
}

/** The chain walk shared by both tables: the link check, candidates after a break, the head. */
class ChainWalk {
  private candidates: string[] = [genesisChainHash];
  last: { seq: number; chainHash: string } | null = null;
  rows = 0;
  constructor(
    readonly table: ChainTable,
    private readonly findings: Findings,
  ) {}

  link(seq: number, id: string, recordHash: string, chainHash: string): void {
    const expected = this.candidates.map((previous) => linkHash(previous, seq, recordHash));
    if (expected.includes(chainHash)) this.candidates = [chainHash];
    else {
      this.findings.add({
        table: this.table,
        kind: "chain_break",
        seq,
        id,
        message:
          "chain_hash does not follow from the row before: a row before it was removed, inserted or reordered, " +
          "or this row's seq, record_hash or chain_hash was changed",
      });
      this.candidates = [expected[0] as string, chainHash];
    }
    this.last = { seq, chainHash };
  }
}

/** A decisions row as the walk selects it: every derived column (among them those holding record parts). */
interface DecisionRow extends RowHeldColumns {
  readonly seq: number;
  readonly record: string;
  readonly record_hash: string | null;
  readonly chain_hash: string | null;
  readonly [column: string]: unknown;
}

async function walkDecisions(tx: Tx, sealed: boolean, findings: Findings): Promise<ChainWalk> {
  const walk = new ChainWalk("decisions", findings);
  let unsealed = 0;
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = await tx.all<DecisionRow>(
      `SELECT ${decisionDerivedColumns.join(", ")}, record, seq, record_hash, chain_hash FROM decisions
        WHERE seq > ? ORDER BY seq LIMIT ?`,
      [after, verifyPageRowsMax],
    );
    if (rows.length === 0) return reportUnsealed(walk, unsealed, findings);
    for (const row of rows) {
      const seq = Number(row.seq);
      const id = String(row.decision_id);
      walk.rows++;
      if (row.record_hash === null || row.chain_hash === null) {
        if (sealed) findings.add(unchained("decisions", seq, id));
        else unsealed++;
        continue;
      }
      checkDecisionRecord(row, seq, id, findings);
      walk.link(seq, id, row.record_hash, row.chain_hash);
    }
    after = Number(rows[rows.length - 1]?.seq);
  }
}

function checkDecisionRecord(row: DecisionRow, seq: number, id: string, findings: Findings): void {
  let record: ReturnType<typeof decodeRecord>;
  try {
    record = decodeRecord(row.record, row);
  } catch (error) {
    findings.add({
      table: "decisions",
      kind: "record_unreadable",
      seq,
      id,
      message: `record does not decode: ${(error as Error).message}`,
    });
    return;
  }
  const derived = decisionColumnsOf(record);
  for (const column of decisionDerivedColumns) {
    const stored = normalise(row[column]);
    if (stored !== derived[column]) {
      findings.add({
        table: "decisions",
        kind: "column_mismatch",
        seq,
        id,
        message: `${column} is ${JSON.stringify(stored)} but the record says ${JSON.stringify(derived[column])}`,
      });
    }
  }
  if (decisionRecordHash(record) !== row.record_hash) {
    findings.add({
      table: "decisions",
      kind: "record_hash_mismatch",
      seq,
      id,
      message: "the record does not hash to record_hash: the record or its record_hash was changed",
    });
  }
}

/** Numbers as numbers (PostgreSQL's bigint arrives parsed, SQLite's integers as numbers), the rest as is. */
function normalise(value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}

function unchained(table: ChainTable, seq: number | null, id: string): AuditViolation {
  return {
    table,
    kind: "unchained_row",
    seq,
    id,
    message: "the row has no place in the chain: it was inserted outside the chain",
  };
}

function reportUnsealed(walk: ChainWalk, unsealed: number, findings: Findings): ChainWalk {
  if (unsealed > 0) {
    findings.add({
      table: walk.table,
      kind: "unsealed_rows",
      seq: null,
      id: null,
      message: `${unsealed} row(s) predate the chain and are not verified: run \`headroom audit seal\``,
    });
  }
  return walk;
}

interface LedgerRow {
  readonly entry_id: string;
  readonly line_id: string;
  readonly business_date: number;
  readonly kind: string;
  readonly entry: string;
  readonly recorded_ms: number;
  readonly seq: number | null;
  readonly record_hash: string | null;
  readonly chain_hash: string | null;
}

async function walkLedger(tx: Tx, sealed: boolean, findings: Findings): Promise<ChainWalk> {
  const walk = new ChainWalk("ledger_entries", findings);
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = await tx.all<LedgerRow>(
      `SELECT entry_id, line_id, business_date, kind, entry, recorded_ms, seq, record_hash, chain_hash
         FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`,
      [after, verifyPageRowsMax],
    );
    if (rows.length === 0) break;
    const postings = await postingsOf(
      tx,
      rows.map((r) => r.entry_id),
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      walk.rows++;
      if (row.record_hash === null || row.chain_hash === null) {
        findings.add(unchained("ledger_entries", seq, row.entry_id));
        continue;
      }
      checkLedgerRecord(row, seq, postings.get(row.entry_id) ?? [], findings);
      walk.link(seq, row.entry_id, row.record_hash, row.chain_hash);
    }
    after = Number(rows[rows.length - 1]?.seq);
  }
  // Rows without a seq: written before the chain (until it is sealed), else outside it.
  const loose = await tx.all<{ entry_id: string }>(
    `SELECT entry_id FROM ledger_entries WHERE seq IS NULL ORDER BY entry_id LIMIT ?`,
    [auditViolationsMax + 1],
  );
  walk.rows += loose.length;
  if (sealed) for (const r of loose) findings.add(unchained("ledger_entries", null, r.entry_id));
  else if (loose.length > 0) {
    const n = Number(
      (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ledger_entries WHERE seq IS NULL`))?.n ?? 0,
    );
    findings.add({
      table: "ledger_entries",
      kind: "unsealed_rows",
      seq: null,
      id: null,
      message: `${n} row(s) predate the chain and are not verified: run \`headroom audit seal\``,
    });
  }
  return walk;
}

type PostingRow = { entry_id: string; n: number; account: string; amount_minor: number };

async function postingsOf(tx: Tx, entryIds: readonly string[]): Promise<Map<string, PostingRow[]>> {
  const out = new Map<string, PostingRow[]>();
  for (let i = 0; i < entryIds.length; i += 500) {
    const ids = entryIds.slice(i, i + 500);
    for (const p of await tx.all<PostingRow>(
      `SELECT entry_id, n, account, amount_minor FROM postings WHERE entry_id IN (${placeholders(ids.length)})
        ORDER BY entry_id, n`,
      ids,
    )) {
      const list = out.get(p.entry_id) ?? [];
      list.push(p);
      out.set(p.entry_id, list);
    }
  }
  return out;
}

function checkLedgerRecord(
  row: LedgerRow,
  seq: number,
  postings: readonly PostingRow[],
  findings: Findings,
): void {
  const id = row.entry_id;
  let entry: Entry;
  try {
    entry = JSON.parse(row.entry) as Entry;
  } catch (error) {
    findings.add({
      table: "ledger_entries",
      kind: "record_unreadable",
      seq,
      id,
      message: `entry does not parse: ${(error as Error).message}`,
    });
    return;
  }
  const derived = ledgerColumnsOf(entry);
  for (const column of ["entry_id", "business_date", "kind"] as const) {
    const stored = normalise(row[column]);
    if (stored !== derived[column]) {
      findings.add({
        table: "ledger_entries",
        kind: "column_mismatch",
        seq,
        id,
        message: `${column} is ${JSON.stringify(stored)} but the entry says ${JSON.stringify(derived[column])}`,
      });
    }
  }
  const hash = ledgerRecordHash({ entry, lineId: row.line_id, recordedMs: Number(row.recorded_ms) });
  if (hash !== row.record_hash) {
    findings.add({
      table: "ledger_entries",
      kind: "record_hash_mismatch",
      seq,
      id,
      message:
        "the entry with its line_id and recorded_ms does not hash to record_hash: one of them or record_hash was changed",
    });
  }
  const expected = Array.isArray(entry.postings) ? entry.postings : [];
  const same =
    postings.length === expected.length &&
    postings.every(
      (p, n) =>
        Number(p.n) === n &&
        p.account === expected[n]?.accountId &&
        Number(p.amount_minor) === expected[n]?.amountMinor,
    );
  if (!same) {
    findings.add({
      table: "postings",
      kind: "postings_mismatch",
      seq,
      id,
      message: `the postings table holds ${postings.length} posting(s) for this entry that differ from its ${expected.length}`,
    });
  }
}

async function checkAnchor(
  tx: Tx,
  table: ChainTable,
  walk: ChainWalk,
  key: AuditKey,
  findings: Findings,
): Promise<ChainSummary["anchor"]> {
  const anchor = await readAnchor(tx, table, false);
  if (anchor === undefined) {
    findings.add({
      table,
      kind: "anchor_missing",
      seq: null,
      id: null,
      message: "the chain's anchor row is missing",
    });
    return null;
  }
  const sealed = anchor.hmac !== "";
  const summary = { seq: anchor.seq, chainHash: anchor.chain_hash, sealed };
  const last = walk.last;
  if (!sealed) {
    if (last !== null) {
      findings.add({
        table,
        kind: "anchor_mismatch",
        seq: last.seq,
        id: null,
        message: "the anchor is unsealed (empty hmac) but the table holds chained rows: the anchor was reset",
      });
    }
    return summary;
  }
  if (anchor.hmac !== anchorHmac(key, table, anchor.seq, anchor.chain_hash)) {
    findings.add({
      table,
      kind: "anchor_hmac_mismatch",
      seq: anchor.seq,
      id: null,
      message:
        "the anchor's HMAC does not match its head under the audit key: the anchor (and so perhaps the whole " +
        "chain) was rewritten without the key, or HEADROOM_AUDIT_KEY differs from the writers' key",
    });
  }
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.chainHash ?? genesisChainHash;
  if (lastSeq !== anchor.seq || lastHash !== anchor.chain_hash) {
    const message =
      lastSeq > anchor.seq
        ? `the chain runs to seq ${lastSeq}, past the anchor at seq ${anchor.seq}: rows were appended without the key`
        : lastSeq < anchor.seq
          ? `the chain ends at seq ${lastSeq} but the anchor names seq ${anchor.seq}: rows at the end were removed`
          : `the chain's last row (seq ${lastSeq}) does not carry the anchored chain_hash`;
    findings.add({ table, kind: "anchor_mismatch", seq: lastSeq, id: null, message });
  }
  return summary;
}

async function checkOrphanPostings(tx: Tx, findings: Findings): Promise<void> {
  const orphans = await tx.all<{ entry_id: string; n: number }>(
    `SELECT entry_id, COUNT(*) AS n FROM postings p
      WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.entry_id = p.entry_id)
      GROUP BY entry_id ORDER BY entry_id LIMIT ?`,
    [auditViolationsMax],
  );
  for (const o of orphans) {
    findings.add({
      table: "postings",
      kind: "orphan_postings",
      seq: null,
      id: o.entry_id,
      message: `${Number(o.n)} posting(s) of entry ${o.entry_id}, which the ledger does not hold: the entry was removed`,
    });
  }
}

/** Verifies both chains in one read snapshot. */
export function verifyAuditChains(db: Db, key: AuditKey = auditKeyInUse()): Promise<AuditReport> {
  return db.read((tx) => verifyAuditChainsIn(tx, key));
}

/** Verifies both chains as `tx` sees them. */
export async function verifyAuditChainsIn(tx: Tx, key: AuditKey = auditKeyInUse()): Promise<AuditReport> {
  {
    const findings = new Findings();
    const chains: ChainSummary[] = [];
    for (const table of chainTables) {
      const anchor = await readAnchor(tx, table, false);
      const sealed = anchor !== undefined && anchor.hmac !== "";
      const walk =
        table === "decisions"
          ? await walkDecisions(tx, sealed, findings)
          : await walkLedger(tx, sealed, findings);
      chains.push({ table, rows: walk.rows, anchor: await checkAnchor(tx, table, walk, key, findings) });
    }
    await checkOrphanPostings(tx, findings);
    return {
      ok: findings.count === 0,
      developmentKey: key.isDevelopmentKey,
      chains,
      violationCount: findings.count,
      violations: findings.list,
    };
  }
}

/** A stored column of a decision row that disagrees with its record (what `headroom replay` adds to its report). */
export interface StoredColumnDifference {
  /** `row.<column>`. */
  readonly path: string;
  /** The value stored in the column. */
  readonly recorded: unknown;
  /** The value the record gives it. */
  readonly replayed: unknown;
}

/** Every stored column of a decision row checked against its record; null when there is no such row. */
export async function storedDecisionDifferences(
  db: Db,
  decisionId: string,
): Promise<StoredColumnDifference[] | null> {
  const row = await db.read((tx) =>
    tx.get<DecisionRow>(
      `SELECT ${decisionDerivedColumns.join(", ")}, record, seq, record_hash, chain_hash FROM decisions
        WHERE decision_id = ?`,
      [decisionId],
    ),
  );
  if (row === undefined) return null;
  const record = decodeRecord(row.record, row);
  const derived = decisionColumnsOf(record);
  const out: StoredColumnDifference[] = [];
  for (const column of decisionDerivedColumns) {
    const stored = normalise(row[column]);
    if (stored !== derived[column])
      out.push({ path: `row.${column}`, recorded: stored, replayed: derived[column] });
  }
  const hash = decisionRecordHash(record);
  if (row.record_hash !== null && row.record_hash !== hash) {
    out.push({ path: "row.record_hash", recorded: row.record_hash, replayed: hash });
  }
  return out;
}
