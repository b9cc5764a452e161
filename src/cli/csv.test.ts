import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvError, parseCsv, readCsvFile, readCsvFileWithHash } from "./csv.js";

function cells(text: string): (string | null)[][] {
  const t = parseCsv(text);
  return Array.from({ length: t.rows }, (_, r) => t.header.map((_, c) => t.cell(r, c) as string | null));
}

describe("CSV reader (RFC 4180)", () => {
  it("reads quoted headers and fields with commas, quotes and line breaks, CRLF and a BOM", () => {
    const t = parseCsv('\uFEFF"first, name","say ""x"""\r\n"a,b","line1\r\nline2"\r\nplain,""\r\n');
    expect(t.header).toEqual(["first, name", 'say "x"']);
    expect(cells('\uFEFF"first, name","say ""x"""\r\n"a,b","line1\r\nline2"\r\nplain,""\r\n')).toEqual([
      ["a,b", "line1\r\nline2"],
      ["plain", null],
    ]);
  });

  it("treats empty cells as missing, keeps spaces and 'none', and skips blank lines", () => {
    expect(cells("a,b,c\n1,,none\n\n , x,\n")).toEqual([
      ["1", null, "none"],
      [" ", " x", null],
    ]);
    expect(cells("a,b\n1,2")).toEqual([["1", "2"]]);
  });

  it("fails with stable codes on ragged rows, bad quoting, empty and unreadable files", () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof CsvError ? e.code : "other";
      }
      return undefined;
    };
    expect(code(() => parseCsv("a,b\n1,2,3\n"))).toBe("csv_malformed");
    expect(code(() => parseCsv('a,b\n"1,2\n'))).toBe("csv_malformed");
    expect(code(() => parseCsv('a,b\n"1"x,2\n'))).toBe("csv_malformed");
    expect(code(() => parseCsv('a,b\n1"x,2\n'))).toBe("csv_malformed");
    expect(code(() => parseCsv("\n"))).toBe("csv_empty");
    expect(code(() => readCsvFile("/nonexistent/file.csv"))).toBe("file_unreadable");
  });

  it("hashes the file bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "headroom-csv-"));
    const path = join(dir, "x.csv");
    writeFileSync(path, "a\n1\n");
    // SHA-256 of the 4 bytes "a\n1\n", computed independently (sha256sum).
    expect(readCsvFileWithHash(path).sha256).toBe(
      "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc",
    );
  });
});
