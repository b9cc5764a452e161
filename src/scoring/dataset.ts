// Columnar training data: numeric columns as Float64Array (NaN = missing), categorical ones as codes into
// a level list (−1 = missing); the target as 0/1 (1 = bad). Built from any table of cells; types inferred.

import { err, ok, type Result, reject } from "../kernel/index.js";
import { shuffledByClass } from "./folds.js";
import { categoryOf, numericValueOf } from "./score.js";
import type { FeatureValue } from "./types.js";

export interface NumericColumn {
  readonly name: string;
  readonly kind: "numeric";
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly name: string;
  readonly kind: "categorical";
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  readonly rows: number;
  readonly columns: readonly Column[];
  /** 1 for bad, 0 for good. */
  readonly bad: Uint8Array;
}

export type DatasetError =
  | {
      readonly code: "target_missing";
      readonly message: string;
      readonly target: string;
      readonly columns: readonly string[];
    }
  | {
      readonly code: "target_single_class";
      readonly message: string;
      readonly target: string;
      readonly bads: number;
      readonly goods: number;
    }
  | { readonly code: "no_rows"; readonly message: string };

export interface TableSource {
  readonly header: readonly string[];
  readonly rows: number;
  /** The cell at (row, column index); "", null and undefined are missing. */
  cell(row: number, column: number): FeatureValue;
}

export interface DatasetSpec {
  readonly target: string;
  /** The target value that marks a bad (compared as text, e.g. "bad" or "1"). */
  readonly badValue: string;
  readonly exclude?: readonly string[];
}

/** Builds a dataset: a column is numeric when every non-missing cell reads as a finite number. */
export function datasetFromTable(
  table: TableSource,
  spec: DatasetSpec,
): Result<{ dataset: Dataset; warnings: string[] }, DatasetError> {
  const targetIndex = table.header.indexOf(spec.target);
  if (targetIndex < 0) {
    return err(
      reject("target_missing", `target column "${spec.target}" is not in the data`, {
        target: spec.target,
        columns: [...table.header],
      }),
    );
  }
  const warnings: string[] = [];
  const keep: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    if (categoryOf(table.cell(r, targetIndex)) !== null) keep.push(r);
  }
  if (keep.length < table.rows)
    warnings.push(`${table.rows - keep.length} rows with a missing target were skipped`);
  if (keep.length === 0) return err(reject("no_rows", "the data has no rows with a target value"));
  const bad = new Uint8Array(keep.length);
  let bads = 0;
  for (let i = 0; i < keep.length; i++) {
    const isBad = categoryOf(table.cell(keep[i]!, targetIndex)) === spec.badValue;
    bad[i] = isBad ? 1 : 0;
    if (isBad) bads++;
  }
  if (bads === 0 || bads === keep.length) {
    return err(
      reject(
        "target_single_class",
        `target "${spec.target}" has a single class (${bads} rows equal "${spec.badValue}", ${keep.length - bads} do not)`,
        { target: spec.target, bads, goods: keep.length - bads },
      ),
    );
  }
  const skip = new Set(spec.exclude ?? []);
  skip.add(spec.target);
  const columns = inferColumns(table, keep, skip);
  return ok({ dataset: { rows: keep.length, columns, bad }, warnings });
}

/**
 * The feature columns of `table` over the rows `keep` (all rows when omitted), minus `skip`. A column is
 * numeric when every non-missing cell reads as a finite number; otherwise categorical.
 */
export function inferColumns(
  table: TableSource,
  keep?: readonly number[],
  skip: ReadonlySet<string> = new Set(),
): Column[] {
  const rows = keep ?? Array.from({ length: table.rows }, (_, i) => i);
  const columns: Column[] = [];
  table.header.forEach((name, c) => {
    if (skip.has(name)) return;
    let numeric = true;
    for (const r of rows) {
      const v = table.cell(r, c);
      if (categoryOf(v) !== null && Number.isNaN(numericValueOf(v))) {
        numeric = false;
        break;
      }
    }
    if (numeric) {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = numericValueOf(table.cell(rows[i]!, c));
      columns.push({ name, kind: "numeric", values });
    } else {
      const codes = new Int32Array(rows.length);
      const index = new Map<string, number>();
      const levels: string[] = [];
      for (let i = 0; i < rows.length; i++) {
        const category = categoryOf(table.cell(rows[i]!, c));
        if (category === null) {
          codes[i] = -1;
          continue;
        }
        let code = index.get(category);
        if (code === undefined) {
          code = levels.length;
          index.set(category, code);
          levels.push(category);
        }
        codes[i] = code;
      }
      columns.push({ name, kind: "categorical", codes, levels });
    }
  });
  return columns;
}

/** A table over in-memory records (feature rows with the target among the keys). */
export function tableFromRecords(records: readonly Readonly<Record<string, FeatureValue>>[]): TableSource {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  return { header, rows: records.length, cell: (r, c) => records[r]![header[c]!] };
}

/** The rows at `indices`, in that order. */
export function subsetDataset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const n = indices.length;
  const bad = new Uint8Array(n);
  for (let i = 0; i < n; i++) bad[i] = dataset.bad[indices[i]!]!;
  const columns = dataset.columns.map((column): Column => {
    if (column.kind === "numeric") {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[indices[i]!]!;
      return { name: column.name, kind: "numeric", values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[indices[i]!]!;
    return { name: column.name, kind: "categorical", codes, levels: column.levels };
  });
  return { rows: n, columns, bad };
}

/**
 * A seeded stratified split: within each class, a Fisher–Yates shuffle, then round(share × class size)
 * rows go to the test side. Both sides keep the original row order.
 */
export function stratifiedSplit(
  bad: Uint8Array,
  testShare: number,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  const isTest = new Uint8Array(bad.length);
  let testCount = 0;
  for (const members of shuffledByClass(bad, seed, "stratified-split")) {
    const take = Math.round(testShare * members.length);
    for (let i = 0; i < take; i++) isTest[members[i]!] = 1;
    testCount += take;
  }
  const train = new Uint32Array(bad.length - testCount);
  const test = new Uint32Array(testCount);
  let a = 0;
  let b = 0;
  for (let i = 0; i < bad.length; i++) {
    if (isTest[i] === 1) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}
