// Small rooms, enforced (in the spirit of TigerBeetle's tidy.zig): no source file under src/ longer than
// `fileLinesMax` lines and no function longer than `functionLinesMax`, except those named below with a reason.
// The exception lists only shrink: an exception that no longer exists, or is back under its limit, fails too.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

/** Lines a reader can hold in one file (STYLE.md: "under ~600"). */
const fileLinesMax = 600;
/** Lines of a function from its first token to its last, nested functions included. */
const functionLinesMax = 100;

/** Files over `fileLinesMax`, each with why it is still allowed (path from the repository root). */
const fileExceptions: Readonly<Record<string, string>> = {};

/**
 * Functions over `functionLinesMax`, as "path:name" with why each is still allowed. A function's name is its
 * own, "Class.method" for a method, the variable or property it is assigned to, or for an anonymous
 * callback "<enclosing>/<callee>" (e.g. "registerX/app.get" for a route handler).
 */
const functionExceptions: Readonly<Record<string, string>> = {
  "src/features/state.ts:applyInPlace": "one switch over every event type's effect on the state",
  "src/policy/validate.ts:validatePolicy": "every semantic check of a policy document in one pass",
  "src/scoring/pmml-import.ts:reduce":
    "the reduction of a PMML characteristic to bins, every predicate kind inline",
  "src/scoring/pmml-import.ts:importForeignScorecard":
    "reading a foreign scorecard's every part in one function",
  "src/store/adapters/decision-store.ts:createDecisionStore":
    "a factory whose closure holds every decision-store method",
  "src/store/adapters/event-log.ts:createEventLog": "a factory whose closure holds every event-log method",
  "src/store/adapters/feature-state.ts:createFeatureStateRows":
    "a factory whose closure holds the feature-state row methods",
  "src/store/adapters/lending-store.ts:unitOfWork":
    "a factory whose closure holds every lending unit-of-work method",
  "src/store/adapters/registry-store.ts:createRegistryStore":
    "a factory whose closure holds every registry-store method",
  "src/store/review/review-store.ts:createReviewStore":
    "a factory whose closure holds every review-store method",
  "src/store/seed/review-seed.ts:seedReviewPortfolio":
    "the bulk seeding's batches and inserts in one function",
};

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
    });
}

function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

interface FunctionSpan {
  readonly key: string;
  readonly lines: number;
}

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function nameText(name: ts.Node | undefined, file: ts.SourceFile): string | null {
  if (name === undefined) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText(file);
}

function classPrefix(node: ts.Node, file: ts.SourceFile): string {
  const owner = node.parent;
  if (owner !== undefined && (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)))
    return `${nameText(owner.name, file) ?? "(class)"}.`;
  return "";
}

/** The name a reader would look the function up by (see `functionExceptions`). */
function functionName(node: FunctionLike, enclosing: string | null, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return `${classPrefix(node, file)}constructor`;
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isAccessor(node)) {
    const own = nameText(node.name, file);
    if (own !== null) return `${classPrefix(node, file)}${own}`;
  }
  if (ts.isFunctionExpression(node) && node.name !== undefined) return node.name.text;
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    const assigned = nameText(parent.name, file);
    if (assigned !== null)
      return `${ts.isPropertyDeclaration(parent) ? classPrefix(parent, file) : ""}${assigned}`;
  }
  const callee = ts.isCallExpression(parent) ? parent.expression.getText(file) : "(anonymous)";
  return `${enclosing ?? "(module)"}/${callee}`;
}

/** Every function of a file with its length in lines (names made unique with "#2", "#3", …). */
function functionsOf(path: string, text: string): FunctionSpan[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const spans: FunctionSpan[] = [];
  const seen = new Map<string, number>();
  const visit = (node: ts.Node, enclosing: string | null): void => {
    let inner = enclosing;
    if (isFunctionLike(node) && node.body !== undefined) {
      const name = functionName(node, enclosing, file);
      const count = (seen.get(name) ?? 0) + 1;
      seen.set(name, count);
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      spans.push({ key: `${path}:${count === 1 ? name : `${name}#${count}`}`, lines: end - start + 1 });
      inner = name;
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(file, null);
  return spans;
}

const sources = walk(src).map((file) => {
  const path = relative(root, file).split("\\").join("/");
  const text = readFileSync(file, "utf8");
  return { path, lines: lineCount(text), functions: functionsOf(path, text) };
});

describe("tidy", () => {
  it(`keeps source files at most ${fileLinesMax} lines`, () => {
    const over = sources
      .filter((s) => s.lines > fileLinesMax && fileExceptions[s.path] === undefined)
      .map((s) => `${s.path}: ${s.lines} lines`);
    expect(over).toEqual([]);
  });

  it(`keeps functions at most ${functionLinesMax} lines`, () => {
    const over = sources
      .flatMap((s) => s.functions)
      .filter((f) => f.lines > functionLinesMax && functionExceptions[f.key] === undefined)
      .map((f) => `${f.key}: ${f.lines} lines`);
    expect(over).toEqual([]);
  });

  it("lists only exceptions that still exist and are still over the limit (the lists only shrink)", () => {
    const stale: string[] = [];
    const files = new Map(sources.map((s) => [s.path, s.lines]));
    for (const path of Object.keys(fileExceptions)) {
      const lines = files.get(path);
      if (lines === undefined) stale.push(`${path}: no such file`);
      else if (lines <= fileLinesMax) stale.push(`${path}: ${lines} lines, within the limit now`);
    }
    const functions = new Map(sources.flatMap((s) => s.functions).map((f) => [f.key, f.lines]));
    for (const key of Object.keys(functionExceptions)) {
      const lines = functions.get(key);
      if (lines === undefined) stale.push(`${key}: no such function`);
      else if (lines <= functionLinesMax) stale.push(`${key}: ${lines} lines, within the limit now`);
    }
    expect(stale).toEqual([]);
  });

  it("gives every exception a one-line reason", () => {
    const reasons = [...Object.values(fileExceptions), ...Object.values(functionExceptions)];
    expect(reasons.filter((r) => r.trim() === "" || r.includes("\n"))).toEqual([]);
  });

  it("finds functions of every kind", () => {
    const sample = [
      "function declared() {}",
      "const arrow = () => 1;",
      "const expression = function () {};",
      "class Room { constructor() {} method() {} get size() { return 1; } field = () => 2; }",
      "register(() => {});",
    ].join("\n");
    expect(functionsOf("x.ts", sample).map((f) => f.key)).toEqual([
      "x.ts:declared",
      "x.ts:arrow",
      "x.ts:expression",
      "x.ts:Room.constructor",
      "x.ts:Room.method",
      "x.ts:Room.size",
      "x.ts:Room.field",
      "x.ts:(module)/register",
    ]);
  });
});
