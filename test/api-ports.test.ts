// The routes go through ports: no route file opens a transaction, reads the database or writes SQL, and no
// handler re-types what its schema says with a cast of request.body, params or query.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const routes = join(root, "src/api/routes");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const banned: readonly [RegExp, string][] = [
  [/\.db\.(read|transaction)\(/, "opens a transaction (call a named read of ctx.reads or a command)"],
  [/\btx\.(get|all|run)\(/, "runs SQL"],
  [/\b(SELECT|INSERT|UPDATE|DELETE)\s/, "holds SQL"],
  [/request\.(body|params|query)\s+as\b/, "casts what its schema types (the TypeBox type provider does)"],
];

describe("routes", () => {
  it("reach the store only through ports, and take their types from their schemas", () => {
    const problems: string[] = [];
    for (const file of walk(routes)) {
      const text = readFileSync(file, "utf8");
      for (const [pattern, what] of banned)
        if (pattern.test(text)) problems.push(`${relative(root, file)} ${what}`);
    }
    expect(problems).toEqual([]);
  });
});
