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

function write(value: unknown, depth: number): string {
  assert(depth <= canonicalDepthMax, "a canonical record nests at most canonicalDepthMax levels");
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      assert(Number.isFinite(value), "a canonical record holds finite numbers, not", value);
      return JSON.stringify(value);
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
      const keys = Object.keys(obj).sort();
      let out = "{";
      let first = true;
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) continue;
        if (!first) out += ",";
        first = false;
        out += `${JSON.stringify(key)}:${write(v, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw new AssertionError(`a canonical record holds JSON values, not a ${typeof value}`);
  }
}
