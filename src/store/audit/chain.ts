// The hash chains of the append-only tables, one per table in seq order: a row's chain_hash is
// SHA-256(previous row's chain_hash, the row's seq, its record_hash) — hex texts and the decimal seq joined by
// newlines, the first row's predecessor 64 zeros — and `chain_anchors` holds each chain's head (seq,
// chain_hash) with an HMAC under the audit key, moved in the transaction that appends. Writers serialise on the
// anchor row (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer), so seq order is chain order.
// Rows written before the chains existed are sealed — hashed and chained in seq order — by the first append or by
// `headroom audit seal`; an anchor whose hmac is empty has not been sealed yet.

import { createHmac } from "node:crypto";
import { assert } from "../../kernel/index.js";
import type { Entry } from "../../ledger/index.js";
import { decodeRow, recordSelect, type StoredRecordRow } from "../records/record-codec.js";
import type { Db, Tx } from "../sql/db.js";
import type { AuditKey } from "./key.js";
import { decisionRecordHash, ledgerRecordHash, sha256Hex } from "./records.js";

export type ChainTable = "decisions" | "ledger_entries";
export const chainTables: readonly ChainTable[] = ["decisions", "ledger_entries"];

/** The predecessor of a chain's first row. */
export const genesisChainHash = "0".repeat(64);

/** Rows hashed per statement while sealing rows that predate the chain. */
export const sealPageRowsMax = 2_000;

export function linkHash(previousChainHash: string, seq: number, recordHash: string): string {
  return sha256Hex(`${previousChainHash}\n${seq}\n${recordHash}`);
}

export function anchorHmac(key: AuditKey, table: ChainTable, seq: number, chainHash: string): string {
  return createHmac("sha256", key.secret).update(`${table}\n${seq}\n${chainHash}`, "utf8").digest("hex");
}

export interface ChainHead {
  readonly seq: number;
  readonly chainHash: string;
}

/** The anchor row as stored. */
export interface AnchorRow {
  readonly seq: number;
  readonly chain_hash: string;
  readonly hmac: string;
}

export async function readAnchor(tx: Tx, table: ChainTable, lock: boolean): Promise<AnchorRow | undefined> {
  const row = await tx.get<AnchorRow>(
    `SELECT seq, chain_hash, hmac FROM chain_anchors WHERE table_name = ?${lock ? tx.sql.forUpdate : ""}`,
    [table],
  );
  return row === undefined ? undefined : { ...row, seq: Number(row.seq) };
}

/**
 * Locks the chain's head for an append (the caller's transaction holds it until commit), sealing the rows that
 * predate the chain first if the chain was never anchored.
 */
export async function lockChainHead(tx: Tx, table: ChainTable, key: AuditKey): Promise<ChainHead> {
  const anchor = await readAnchor(tx, table, true);
  assert(anchor !== undefined, "migration 017 made an anchor row per chained table");
  if (anchor.hmac !== "") return { seq: anchor.seq, chainHash: anchor.chain_hash };
  const head = await sealTable(tx, table);
  await saveChainHead(tx, table, head, key);
  return head;
}

export async function saveChainHead(
  tx: Tx,
  table: ChainTable,
  head: ChainHead,
  key: AuditKey,
): Promise<void> {
  await tx.run(`UPDATE chain_anchors SET seq = ?, chain_hash = ?, hmac = ? WHERE table_name = ?`, [
    head.seq,
    head.chainHash,
    anchorHmac(key, table, head.seq, head.chainHash),
    table,
  ]);
}

/**
 * The next `n` seqs of `table` after `head`, increasing. Decisions keep their own seq source (SQLite: the
 * largest seq + 1; PostgreSQL: the identity's sequence, so that writers not going through here never collide);
 * ledger entries take the largest seq + 1 (their seq column exists for the chain only).
 */
export async function nextSeqs(tx: Tx, table: ChainTable, head: ChainHead, n: number): Promise<number[]> {
  if (n === 0) return [];
  const reserve = table === "decisions" ? tx.sql.reserveIdentities("decisions", "seq") : null;
  if (reserve !== null) {
    const rows = await tx.all<{ s: number }>(reserve, [n]);
    const seqs = rows.map((r) => Number(r.s));
    assert(seqs.length === n && (seqs[0] ?? 0) > head.seq, "the seq sequence runs ahead of the chain head");
    return seqs;
  }
  const max = Number(
    (await tx.get<{ n: number }>(`SELECT COALESCE(MAX(seq), 0) AS n FROM ${table}`))?.n ?? 0,
  );
  const first = Math.max(max, head.seq) + 1;
  return Array.from({ length: n }, (_, i) => first + i);
}

/** Rows chained after a head: their seqs, record hashes and chain hashes, and the new head. */
export interface ChainedRows {
  readonly seqs: readonly number[];
  readonly recordHashes: readonly string[];
  readonly chainHashes: readonly string[];
  readonly head: ChainHead;
}

/** Chains rows with the given seqs and record hashes (in that order) after `head`. */
export function chainAfter(
  head: ChainHead,
  seqs: readonly number[],
  recordHashes: readonly string[],
): ChainedRows {
  assert(seqs.length === recordHashes.length, "a seq per record hash");
  let previous = head.chainHash;
  const chainHashes = seqs.map((seq, i) => {
    previous = linkHash(previous, seq, recordHashes[i] as string);
    return previous;
  });
  const last = seqs[seqs.length - 1];
  return {
    seqs,
    recordHashes,
    chainHashes,
    head: last === undefined ? head : { seq: last, chainHash: previous },
  };
}

/** Hashes and chains, in seq order, the rows that predate the chain (the anchor was never sealed). */
async function sealTable(tx: Tx, table: ChainTable): Promise<ChainHead> {
  let head: ChainHead = { seq: 0, chainHash: genesisChainHash };
  for (;;) {
    const sealed = table === "decisions" ? await sealDecisionsPage(tx, head) : await sealLedgerPage(tx, head);
    if (sealed === null) return head;
    head = sealed;
  }
}

async function sealDecisionsPage(tx: Tx, head: ChainHead): Promise<ChainHead | null> {
  const rows = await tx.all<StoredRecordRow & { seq: number }>(
    `SELECT seq, ${recordSelect} FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?`,
    [head.seq, sealPageRowsMax],
  );
  if (rows.length === 0) return null;
  const seqs = rows.map((r) => Number(r.seq));
  const hashes = rows.map((r) => decisionRecordHash(decodeRow(r)));
  const chained = chainAfter(head, seqs, hashes);
  for (let i = 0; i < rows.length; i++) {
    await tx.run(`UPDATE decisions SET record_hash = ?, chain_hash = ? WHERE seq = ?`, [
      hashes[i] as string,
      chained.chainHashes[i] as string,
      seqs[i] as number,
    ]);
  }
  return chained.head;
}

async function sealLedgerPage(tx: Tx, head: ChainHead): Promise<ChainHead | null> {
  // Entries before the chain have no seq: SQLite's rowid is their insertion order; PostgreSQL keeps none, so
  // write time and id stand for it.
  const order = tx.sql.insertionOrder("recorded_ms, entry_id");
  const rows = await tx.all<{ entry_id: string; line_id: string; entry: string; recorded_ms: number }>(
    `SELECT entry_id, line_id, entry, recorded_ms FROM ledger_entries WHERE seq IS NULL ORDER BY ${order} LIMIT ?`,
    [sealPageRowsMax],
  );
  if (rows.length === 0) return null;
  const seqs = rows.map((_, i) => head.seq + 1 + i);
  const hashes = rows.map((r) =>
    ledgerRecordHash({
      entry: JSON.parse(r.entry) as Entry,
      lineId: r.line_id,
      recordedMs: Number(r.recorded_ms),
    }),
  );
  const chained = chainAfter(head, seqs, hashes);
  for (let i = 0; i < rows.length; i++) {
    await tx.run(`UPDATE ledger_entries SET seq = ?, record_hash = ?, chain_hash = ? WHERE entry_id = ?`, [
      seqs[i] as number,
      hashes[i] as string,
      chained.chainHashes[i] as string,
      (rows[i] as { entry_id: string }).entry_id,
    ]);
  }
  return chained.head;
}

/** Seals both chains if they are not yet (the `audit seal` command): how many rows each had to chain. */
export async function sealChains(tx: Tx, key: AuditKey): Promise<Record<ChainTable, number>> {
  const out: Record<ChainTable, number> = { decisions: 0, ledger_entries: 0 };
  for (const table of chainTables) {
    const anchor = await readAnchor(tx, table, true);
    assert(anchor !== undefined, "migration 017 made an anchor row per chained table");
    if (anchor.hmac !== "") continue;
    const head = await lockChainHead(tx, table, key);
    out[table] = Number(
      (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE seq <= ?`, [head.seq]))?.n ?? 0,
    );
  }
  return out;
}

/** `sealChains` in a write transaction of its own. */
export function sealAuditChains(db: Db, key: AuditKey): Promise<Record<ChainTable, number>> {
  return db.transaction((tx) => sealChains(tx, key));
}
