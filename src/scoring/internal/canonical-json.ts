// Canonical JSON: object keys sorted, no whitespace, undefined members dropped — the input to content hashes.
// Numbers use JavaScript's shortest round-trip form, so a parsed artefact re-serialises to the same bytes.

import { assert } from "../../kernel/index.js";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    assert(Number.isFinite(value), "canonical JSON holds finite numbers only");
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  assert(typeof value === "object", `canonical JSON cannot hold a ${typeof value}`);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(",")}}`;
}
