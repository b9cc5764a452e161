// A strict RFC 4180 CSV reader: quoted fields (with "" escapes, commas and line breaks inside), quoted
// headers, CRLF or LF, a leading BOM; empty cells are missing (null). Rows must match the header's width.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TableSource } from "../scoring/index.js";
import { CodedError } from "./coded-error.js";

export class CsvError extends CodedError<"file_unreadable" | "csv_malformed" | "csv_empty"> {
  override readonly name = "CsvError";
}

export interface CsvTable extends TableSource {
  readonly header: readonly string[];
  readonly rows: number;
  /** Cells, row-major; null for an empty cell. */
  readonly cells: readonly (string | null)[];
}

export function parseCsv(text: string, source = "input"): CsvTable {
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new CsvError("csv_empty", `${source}: no header row`);
  const cells: (string | null)[] = [];
  let header: string[] | null = null;
  let row: (string | null)[] = [];
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const endRow = (): void => {
    if (header === null) {
      header = row.map((c) => c ?? "");
    } else if (!(row.length === 1 && row[0] === null)) {
      if (row.length !== header.length) {
        throw new CsvError(
          "csv_malformed",
          `${source}: line ${rowLine} has ${row.length} fields, the header has ${header.length}`,
        );
      }
      for (const c of row) cells.push(c);
    }
    row = [];
  };
  while (i <= n) {
    rowLine = line;
    // One field.
    let value: string;
    if (text.charCodeAt(i) === 34) {
      let out = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0)
          throw new CsvError("csv_malformed", `${source}: unterminated quoted field from line ${line}`);
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      for (const ch of out) if (ch === "\n") line++;
      value = out;
      i = j;
      const next = text.charCodeAt(i);
      if (i < n && next !== 44 && next !== 10 && next !== 13) {
        throw new CsvError("csv_malformed", `${source}: text after a closing quote on line ${line}`);
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34)
          throw new CsvError("csv_malformed", `${source}: a quote inside an unquoted field on line ${line}`);
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    row.push(value === "" ? null : value);
    if (i >= n) {
      endRow();
      break;
    }
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      continue;
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) i += 2;
    else i++;
    line++;
    endRow();
    if (i >= n) break;
  }
  if (header === null) throw new CsvError("csv_empty", `${source}: no header row`);
  const h: readonly string[] = header;
  const width = h.length;
  const rows = cells.length / width;
  return { header: h, rows, cells, cell: (r, c) => cells[r * width + c] };
}

export function readCsvFile(path: string): CsvTable {
  return readCsvFileWithHash(path).table;
}

/** Reads and parses a CSV file; `sha256` is the hash of its bytes (the training data hash). */
export function readCsvFileWithHash(path: string): { table: CsvTable; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CsvError("file_unreadable", `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  return {
    table: parseCsv(bytes.toString("utf8"), path),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
