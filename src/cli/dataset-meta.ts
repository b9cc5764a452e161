// A data set's sidecar, `<name>.meta.json` next to `<name>.csv`: what the data's owner declares about its
// columns (today: which stand for a protected attribute, and why). Closed shape, every column in the CSV.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CodedError } from "./coded-error.js";

export class DatasetMetaError extends CodedError<"dataset_meta_invalid"> {
  override readonly name = "DatasetMetaError";
}

export interface DatasetMeta {
  /** The sidecar file read. */
  readonly path: string;
  readonly protected: readonly string[];
  /** One line per protected column saying what it stands for; may leave some out. */
  readonly why: Readonly<Record<string, string>>;
}

/** A sidecar is a few lines of JSON; anything larger is not one. */
export const datasetMetaBytesMax = 64 * 1024;

const keysAllowed = new Set(["protected", "why"]);

/** The sidecar's path for a CSV path: the same folder and name, `.meta.json` for `.csv`. */
export function datasetMetaPath(csvPath: string): string {
  return join(dirname(csvPath), `${basename(csvPath).replace(/\.csv$/i, "")}.meta.json`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The first thing wrong with a parsed sidecar against the CSV header, or null. */
function problemOf(parsed: unknown, header: readonly string[]): string | null {
  if (!isRecord(parsed)) return "is not a JSON object";
  const unknown = Object.keys(parsed).filter((k) => !keysAllowed.has(k));
  if (unknown.length > 0) return `has unknown key(s) ${unknown.join(", ")} (allowed: protected, why)`;
  const list = parsed.protected ?? [];
  if (!Array.isArray(list) || list.some((c) => typeof c !== "string" || c === ""))
    return '"protected" must be an array of column names';
  const missing = list.filter((c: string) => !header.includes(c));
  if (missing.length > 0) return `"protected" names column(s) the CSV lacks: ${missing.join(", ")}`;
  if (new Set(list).size !== list.length) return '"protected" names a column twice';
  const why = parsed.why ?? {};
  if (!isRecord(why) || Object.values(why).some((w) => typeof w !== "string"))
    return '"why" must be an object of column → text';
  const stray = Object.keys(why).filter((c) => !list.includes(c));
  if (stray.length > 0) return `"why" explains column(s) not in "protected": ${stray.join(", ")}`;
  return null;
}

/**
 * The CSV's sidecar checked against its header, or null when there is none. A sidecar that is unreadable,
 * not JSON, of another shape, or naming columns the CSV lacks throws `dataset_meta_invalid`: a declaration
 * that silently protected nothing would be worse than none.
 */
export function readDatasetMeta(csvPath: string, header: readonly string[]): DatasetMeta | null {
  const path = datasetMetaPath(csvPath);
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > datasetMetaBytesMax)
      throw new Error(`larger than ${datasetMetaBytesMax} bytes (${bytes.length})`);
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (cause) {
    throw new DatasetMetaError("dataset_meta_invalid", `${path}: ${(cause as Error).message}`, { cause });
  }
  const problem = problemOf(parsed, header);
  if (problem !== null) throw new DatasetMetaError("dataset_meta_invalid", `${path} ${problem}`);
  const meta = parsed as { protected?: string[]; why?: Record<string, string> };
  return { path, protected: meta.protected ?? [], why: meta.why ?? {} };
}
