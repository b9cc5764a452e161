// Starting worker threads on a TypeScript module. Run from source, the module is bundled once per process
// with esbuild (packages left external) into node_modules/.cache, where bare imports still resolve, and the
// thread starts on that plain module: registering tsx in every thread cost each worker a loader-hooks thread
// and a module-by-module transform (about a second of CPU per worker). The file name is the bundle's content
// hash, written by rename, so concurrent processes never see half a file. Without esbuild the thread falls
// back to registering tsx itself.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";

/** How a worker thread starts: a prebuilt plain-JS module, or (fallback) an eval'd tsx bootstrap. */
type WorkerEntry =
  | { readonly kind: "file"; readonly url: URL }
  | { readonly kind: "eval"; readonly source: string };

const entries = new Map<string, Promise<WorkerEntry>>();

function tsxBootstrapSource(source: URL): string {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(
    join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
}

function workerEntry(source: URL): Promise<WorkerEntry> {
  let entry = entries.get(source.href);
  if (entry === undefined) {
    entry = (async (): Promise<WorkerEntry> => {
      if (!source.pathname.endsWith(".ts")) return { kind: "file", url: source };
      try {
        const esbuild = await import("esbuild");
        const built = await esbuild.build({
          entryPoints: [fileURLToPath(source)],
          bundle: true,
          platform: "node",
          format: "esm",
          target: "node20",
          packages: "external",
          write: false,
          logLevel: "silent",
        });
        const code = built.outputFiles[0]?.text;
        if (code === undefined) throw new Error("esbuild produced no output");
        const require = createRequire(import.meta.url);
        const modules = dirname(dirname(require.resolve("better-sqlite3/package.json")));
        const dir = join(modules, ".cache", "headroom");
        const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
        const name = source.pathname.split("/").pop()?.replace(/\.ts$/, "") ?? "worker";
        const file = join(dir, `${name}-${hash}.mjs`);
        if (!existsSync(file)) {
          mkdirSync(dir, { recursive: true });
          const partial = `${file}.${process.pid}.tmp`;
          writeFileSync(partial, code);
          renameSync(partial, file);
        }
        return { kind: "file", url: pathToFileURL(file) };
      } catch {
        return { kind: "eval", source: tsxBootstrapSource(source) };
      }
    })();
    entries.set(source.href, entry);
  }
  return entry;
}

/** Starts a worker thread on `source` (a .ts or .js module URL) with `workerData`. */
export async function startWorker(
  source: URL,
  workerData: unknown,
  resourceLimits: ResourceLimits = {},
): Promise<Worker> {
  const entry = await workerEntry(source);
  // A plain module needs no loader: inheriting the parent's `--import tsx` would start one per thread.
  return entry.kind === "file"
    ? new Worker(entry.url, { workerData, execArgv: [], resourceLimits })
    : new Worker(entry.source, { eval: true, workerData, resourceLimits });
}
