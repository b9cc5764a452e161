// The architecture, enforced: imports point downward only, the core does no I/O and reads no time,
// randomness or environment, outside code enters a domain through its index.ts, and no import cycles.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

const corePackages = /^@sinclair\/typebox(\/|$)/;
const core = [
  "kernel",
  "money",
  "time",
  "ledger",
  "lending",
  "events",
  "features",
  "scoring",
  "policy",
  "explain",
];

/** Which domains each domain may import (besides itself). */
const allowed: Record<string, readonly string[]> = {
  kernel: [],
  money: ["kernel"],
  time: ["kernel"],
  ledger: ["kernel", "money", "time"],
  events: ["kernel", "money", "time"],
  lending: ["kernel", "money", "time", "ledger", "events"],
  features: ["kernel", "money", "time", "events"],
  scoring: ["kernel", "money", "time", "events", "features"],
  policy: ["kernel", "money", "time", "ledger", "lending", "events", "features", "scoring"],
  explain: ["kernel", "money", "time", "ledger", "lending", "events", "features", "scoring", "policy"],
  engine: [...core],
  store: [...core, "engine"],
  bus: [...core, "engine"],
  app: [...core, "engine", "store"],
  sim: [...core, "engine", "store", "app"],
  api: [...core, "engine", "store", "bus", "app", "sim"],
  cli: [...core, "engine", "store", "bus", "app", "sim", "api"],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = walk(src);
const importPattern =
  /(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(importPattern)].map((m) => (m[1] ?? m[2]) as string);
}

/** Imports that load code when the module loads: no `import type`, no lazy `import()`. */
const eagerPattern = /(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^;]*?from\s+["']([^"']+)["']/g;

function eagerImportsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(eagerPattern)].map((m) => m[1] as string);
}

function domainOf(file: string): string {
  return relative(src, file).split("/")[0] as string;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

describe("architecture", () => {
  it("has only known domains under src/", () => {
    for (const file of files) expect(Object.keys(allowed), relative(root, file)).toContain(domainOf(file));
  });

  it("imports point downward only, and other domains are entered through index.ts", () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = domainOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(file), spec);
        const to = domainOf(target);
        if (to === from) continue;
        if (!(allowed[from] ?? []).includes(to))
          problems.push(`${relative(root, file)} imports ${to} (${spec})`);
        const inside = relative(join(src, to), target);
        if (inside !== "index.js" && inside !== "index.ts" && inside !== "index") {
          problems.push(`${relative(root, file)} reaches into ${to}/${inside} instead of ${to}/index.ts`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps the core pure: no node:, no packages but TypeBox, no Date, Math.random, process, console, async", () => {
    const problems: string[] = [];
    for (const file of files.filter((f) => core.includes(domainOf(f)))) {
      const name = relative(root, file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".") && !corePackages.test(spec)) problems.push(`${name} imports ${spec}`);
      }
      const code = stripComments(readFileSync(file, "utf8"));
      const banned: [RegExp, string][] = [
        [/\bnew Date\b|\bDate\.(now|parse|UTC)\b/, "Date"],
        [/\bMath\.random\b/, "Math.random"],
        [/\bprocess\./, "process"],
        [/\bconsole\./, "console"],
        [/\basync\s+(function|\(|[a-zA-Z_$][\w$]*\s*\()|\bawait\s/, "async"],
        [/\bsetTimeout\b|\bsetInterval\b/, "timers"],
      ];
      for (const [pattern, what] of banned) if (pattern.test(code)) problems.push(`${name} uses ${what}`);
    }
    expect(problems).toEqual([]);
  });

  it("has no import cycles between files", () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      graph.set(
        file,
        eagerImportsOf(file)
          .filter((s) => s.startsWith("."))
          .map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"))
          .map((t) => (files.includes(t) ? t : t.replace(/\.ts$/, ".tsx")))
          .filter((t) => files.includes(t)),
      );
    }
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        cycles.push([...path.slice(path.indexOf(node)), node].map((f) => relative(src, f)).join(" → "));
        return;
      }
      state.set(node, "visiting");
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
