// PMML predicates (SimplePredicate, SimpleSetPredicate, CompoundPredicate, True, False) read from XML and
// evaluated with PMML's three-valued logic (a comparison with a missing value is unknown, never true).

import { assertNever } from "../kernel/index.js";
import type { XmlElement } from "./internal/xml.js";

export type SimpleOperator =
  | "equal"
  | "notEqual"
  | "lessThan"
  | "lessOrEqual"
  | "greaterThan"
  | "greaterOrEqual"
  | "isMissing"
  | "isNotMissing";

export type PmmlPredicate =
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  | {
      readonly kind: "simple";
      readonly field: string;
      readonly operator: SimpleOperator;
      readonly value: string | null;
    }
  | {
      readonly kind: "set";
      readonly field: string;
      readonly isIn: boolean;
      readonly values: readonly string[];
    }
  | {
      readonly kind: "compound";
      readonly operator: "and" | "or" | "xor" | "surrogate";
      readonly parts: readonly PmmlPredicate[];
    };

/** A field's value as a predicate sees it: a number (numeric field), a string (categorical), or missing. */
export type Cell = number | string | null;

/** true, false, or null for PMML's "unknown". */
export type Truth = boolean | null;

/** Nesting bound of CompoundPredicate (the XML reader bounds depth too; this names the predicate's share). */
export const predicateDepthMax = 32;

export type PmmlError =
  | { readonly code: "xml_malformed"; readonly message: string; readonly offset: number }
  | { readonly code: "pmml_invalid"; readonly message: string }
  | { readonly code: "pmml_unsupported"; readonly message: string };

/** A rejection raised while reading a document; caught once at `fromPmml`'s edge and returned as a value. */
export class PmmlFault {
  constructor(readonly error: PmmlError) {}
}

export function invalid(message: string): never {
  throw new PmmlFault({ code: "pmml_invalid", message });
}

export function unsupported(message: string): never {
  throw new PmmlFault({ code: "pmml_unsupported", message });
}

const simpleOperators: ReadonlySet<string> = new Set<SimpleOperator>([
  "equal",
  "notEqual",
  "lessThan",
  "lessOrEqual",
  "greaterThan",
  "greaterOrEqual",
  "isMissing",
  "isNotMissing",
]);

/** Splits a PMML Array's text: whitespace-separated tokens, double quotes around tokens with spaces. */
export function parseArray(text: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of text.matchAll(pattern)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
  }
  return out;
}

/** Reads one predicate element; throws PmmlFault on anything outside PMML's predicate grammar. */
export function readPredicate(e: XmlElement, depth = 0): PmmlPredicate {
  if (depth > predicateDepthMax) unsupported(`predicates nested deeper than ${predicateDepthMax}`);
  switch (e.name) {
    case "True":
      return { kind: "true" };
    case "False":
      return { kind: "false" };
    case "SimplePredicate": {
      const field = e.attributes.field ?? invalid("a SimplePredicate has no field");
      const operator = e.attributes.operator ?? "";
      if (!simpleOperators.has(operator)) invalid(`SimplePredicate operator "${operator}"`);
      const op = operator as SimpleOperator;
      const unary = op === "isMissing" || op === "isNotMissing";
      const value = e.attributes.value ?? null;
      if (!unary && value === null) invalid(`SimplePredicate ${op} on "${field}" has no value`);
      return { kind: "simple", field, operator: op, value: unary ? null : value };
    }
    case "SimpleSetPredicate": {
      const field = e.attributes.field ?? invalid("a SimpleSetPredicate has no field");
      const op = e.attributes.booleanOperator;
      if (op !== "isIn" && op !== "isNotIn") invalid(`SimpleSetPredicate booleanOperator "${op}"`);
      const array =
        e.children.find((c) => c.name === "Array") ?? invalid("a SimpleSetPredicate has no Array");
      return { kind: "set", field, isIn: op === "isIn", values: parseArray(array.text) };
    }
    case "CompoundPredicate": {
      const op = e.attributes.booleanOperator;
      if (op !== "and" && op !== "or" && op !== "xor" && op !== "surrogate")
        invalid(`CompoundPredicate booleanOperator "${op}"`);
      const parts = e.children.filter((c) => c.name !== "Extension").map((c) => readPredicate(c, depth + 1));
      if (parts.length < 2) invalid("a CompoundPredicate needs at least two predicates");
      return { kind: "compound", operator: op, parts };
    }
    default:
      return unsupported(`predicate <${e.name}>`);
  }
}

/** Every field a predicate reads, in first-mention order. */
export function fieldsOf(p: PmmlPredicate, into: string[] = []): string[] {
  switch (p.kind) {
    case "true":
    case "false":
      return into;
    case "simple":
    case "set":
      if (!into.includes(p.field)) into.push(p.field);
      return into;
    case "compound":
      for (const part of p.parts) fieldsOf(part, into);
      return into;
    default:
      return assertNever(p, "predicate kind");
  }
}

/** Whether a predicate orders values (lessThan …), which only a numeric field supports. */
export function usesOrdering(p: PmmlPredicate): boolean {
  switch (p.kind) {
    case "true":
    case "false":
    case "set":
      return false;
    case "simple":
      return p.operator.startsWith("less") || p.operator.startsWith("greater");
    case "compound":
      return p.parts.some(usesOrdering);
    default:
      return assertNever(p, "predicate kind");
  }
}

/** The number a predicate constant stands for on a numeric field. */
export function numericConstant(field: string, text: string): number {
  const x = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(x)) invalid(`"${text}" is not a number, yet "${field}" is numeric`);
  return x;
}

function compare(cell: number | string, op: SimpleOperator, field: string, value: string): boolean {
  if (typeof cell === "string") {
    if (op === "equal") return cell === value;
    if (op === "notEqual") return cell !== value;
    return unsupported(`operator ${op} on categorical "${field}"`);
  }
  const v = numericConstant(field, value);
  switch (op) {
    case "equal":
      return cell === v;
    case "notEqual":
      return cell !== v;
    case "lessThan":
      return cell < v;
    case "lessOrEqual":
      return cell <= v;
    case "greaterThan":
      return cell > v;
    case "greaterOrEqual":
      return cell >= v;
    case "isMissing":
    case "isNotMissing":
      return unsupported("a unary operator with a value");
    default:
      return assertNever(op, "simple operator");
  }
}

/** PMML evaluation: `cellOf` gives each field's value (already typed by the field's kind). */
export function evaluatePredicate(p: PmmlPredicate, cellOf: (field: string) => Cell): Truth {
  switch (p.kind) {
    case "true":
      return true;
    case "false":
      return false;
    case "simple": {
      const cell = cellOf(p.field);
      if (p.operator === "isMissing") return cell === null;
      if (p.operator === "isNotMissing") return cell !== null;
      if (cell === null) return null;
      return compare(cell, p.operator, p.field, p.value ?? "");
    }
    case "set": {
      const cell = cellOf(p.field);
      if (cell === null) return null;
      const member =
        typeof cell === "string"
          ? p.values.includes(cell)
          : p.values.some((v) => numericConstant(p.field, v) === cell);
      return member === p.isIn;
    }
    case "compound": {
      const truths = p.parts.map((part) => evaluatePredicate(part, cellOf));
      const operator = p.operator;
      switch (operator) {
        case "and":
          return truths.includes(false) ? false : truths.includes(null) ? null : true;
        case "or":
          return truths.includes(true) ? true : truths.includes(null) ? null : false;
        case "xor":
          return truths.includes(null) ? null : truths.filter((t) => t).length % 2 === 1;
        case "surrogate":
          return truths.find((t) => t !== null) ?? null;
        default:
          return assertNever(operator, "compound operator");
      }
    }
    default:
      return assertNever(p, "predicate kind");
  }
}

/** Every constant a predicate compares `field` with (the breakpoints of a numeric field, the categories of a categorical one). */
export function constantsOf(
  p: PmmlPredicate,
  field: string,
  into: { op: SimpleOperator | "set"; value: string }[] = [],
) {
  switch (p.kind) {
    case "true":
    case "false":
      return into;
    case "simple":
      if (p.field === field && p.value !== null) into.push({ op: p.operator, value: p.value });
      return into;
    case "set":
      if (p.field === field) for (const value of p.values) into.push({ op: "set", value });
      return into;
    case "compound":
      for (const part of p.parts) constantsOf(part, field, into);
      return into;
    default:
      return assertNever(p, "predicate kind");
  }
}

const bits = new Float64Array(1);
const ints = new BigInt64Array(bits.buffer);

/** The least double above x (x finite). Makes "x ≤ b" exactly "x < nextUp(b)" on doubles. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  bits[0] = x;
  ints[0] = ints[0]! + (x > 0 ? 1n : -1n);
  return bits[0]!;
}

/** The greatest double below x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
