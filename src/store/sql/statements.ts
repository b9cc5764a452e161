// Statements every adapter writes the same way: a multi-row INSERT in chunks that keep each statement under
// both databases' parameter limits.

import { assert } from "../../kernel/index.js";
import type { SqlValue, Tx } from "./db.js";
import { placeholders } from "./dialect.js";

/** Values per `IN (…)` list of ids (customers, events): one statement stays small however many are asked. */
export const inListMax = 500;

/** `items` in slices of at most `size` (by default one `IN (…)` list's worth), in order. */
export function chunksOf<T>(items: readonly T[], size = inListMax): T[][] {
  assert(size > 0, "a chunk holds at least one item");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per multi-row INSERT: at most 9 parameters a row keeps a statement under 2,500 parameters. */
export const insertChunkRows = 250;

/**
 * Runs one `head VALUES (…), (…)… tail` per chunk of `rows`; `row` gives each row's parameters (always
 * `width` of them).
 */
export async function insertRows<T>(
  tx: Tx,
  head: string,
  width: number,
  rows: readonly T[],
  row: (r: T) => readonly SqlValue[],
  tail = "",
): Promise<void> {
  const tuple = `(${placeholders(width)})`;
  for (const chunk of chunksOf(rows, insertChunkRows)) {
    const params: SqlValue[] = [];
    for (const r of chunk) {
      const values = row(r);
      assert(values.length === width, "an inserted row has one value per column");
      for (const v of values) params.push(v);
    }
    await tx.run(`${head} VALUES ${chunk.map(() => tuple).join(", ")}${tail}`, params);
  }
}
