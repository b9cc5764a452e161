#!/usr/bin/env node
// Builds the worker threads' entry modules into dist/workers/ (run by `npm run build`, and by `npm ci` through
// `prepare`): each a plain ES module with the packages left as imports, plus a manifest of the content hash of
// every source file it was built from. A thread starts on the built module only while those hashes still
// match the sources (src/store/worker-module.ts), so an edited checkout never runs stale code.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "dist", "workers");

/** The worker entry modules, by the name their thread is started under. */
export const workerEntries = {
  "review-worker": "src/app/review-worker.ts",
  "sink-worker": "src/sim/sink-worker.ts",
};

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function buildOne(name, entry) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .sort()
      .map((input) => [input, sha256(join(root, input))]),
  );
  return { name, entry, code, inputs };
}

const built = await Promise.all(Object.entries(workerEntries).map(([name, entry]) => buildOne(name, entry)));
mkdirSync(outDir, { recursive: true });
const manifest = {};
for (const { name, entry, code, inputs } of built) {
  const file = join(outDir, `${name}.mjs`);
  writeFileSync(`${file}.tmp`, code);
  renameSync(`${file}.tmp`, file);
  manifest[entry] = { module: relative(dirname(file), file), inputs };
}
const manifestFile = join(outDir, "manifest.json");
writeFileSync(`${manifestFile}.tmp`, `${JSON.stringify(manifest, null, 1)}\n`);
renameSync(`${manifestFile}.tmp`, manifestFile);
process.stdout.write(`built ${built.length} worker modules into ${relative(root, outDir)}/\n`);
