// The canonical text of a domain record, which its record hash is taken over: JSON with every object's keys
// sorted (by UTF-16 code unit, as Array.prototype.sort compares strings), no whitespace, properties holding
// `undefined` left out (as JSON.stringify leaves them). It depends on the record's values only, never on the
// order its builder gave the keys or on how a row stores it, so a stored form may change without a hash changing.
// Only JSON data is accepted: a non-finite number, a bigint, a function or a class instance is a broken invariant.

import { AssertionError, assert } from "../../kernel/index.js";

/** Nesting a record may have (a decision record is under ten levels deep). */
export const canonicalDepthMax = 64;

export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

/** Characters JSON.stringify escapes (and lone surrogates, which it writes as \u escapes). */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** A string as JSON.stringify writes it; most keys and values need no escaping and skip the call. */
function quote(text: string): string {
  return needsEscape(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Quoted keys by key: a record's keys repeat across records. Bounded; past the bound keys are quoted anew. */
const quotedKeys = new Map<string, string>();
const quotedKeysMax = 4_096;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size < quotedKeysMax) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Own enumerable keys in code-unit order; already sorted (often, for small objects) skips the sort. */
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}

function write(value: unknown, depth: number): string {
  assert(depth <= canonicalDepthMax, "a canonical record nests at most canonicalDepthMax levels");
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      assert(Number.isFinite(value), "a canonical record holds finite numbers, not", value);
      // Number-to-string is what JSON.stringify writes for a finite number (-0 included: "0").
      return `${value}`;
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          // JSON writes a hole or an undefined element as null.
          out += value[i] === undefined ? "null" : write(value[i], depth + 1);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      assert(proto === Object.prototype || proto === null, "a canonical record holds plain objects only");
      const obj = value as Record<string, unknown>;
      let out = "{";
      for (const key of sortedKeys(obj)) {
        const v = obj[key];
        if (v === undefined) continue;
        if (out.length > 1) out += ",";
        out += `${quoteKey(key)}:${write(v, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw new AssertionError(`a canonical record holds JSON values, not a ${typeof value}`);
  }
}
