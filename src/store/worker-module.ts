// Starting worker threads on a TypeScript module. `npm run build` (and `npm ci`, through `prepare`) builds each
// worker entry into a plain module under dist/workers/ with a manifest of the content hashes of the sources it
// came from (scripts/build-workers.mjs). A thread starts on the built module while every one of those sources
// is unchanged; otherwise — an edited checkout, no build — it starts through tsx, the loader the CLI runs
// under, which is correct but costs each thread about a second of CPU to load. Nothing is written at run time.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";

/** How a worker thread starts: a built plain-JS module, or an eval'd tsx bootstrap of the source. */
type WorkerEntry =
  | { readonly kind: "file"; readonly url: URL }
  | { readonly kind: "eval"; readonly source: string };

interface ManifestEntry {
  readonly module: string;
  readonly inputs: Readonly<Record<string, string>>;
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const workersDir = join(root, "dist", "workers");
const entries = new Map<string, WorkerEntry>();

function sha256(path: string): string | null {
  return existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : null;
}

function readManifest(dir: string): Readonly<Record<string, ManifestEntry>> {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, ManifestEntry>;
  } catch {
    return {};
  }
}

/** The built module of `source` when the build is as new as every source it was built from, else null. */
export function builtWorkerModule(source: URL, dir = workersDir): URL | null {
  const entry = readManifest(dir)[relative(root, fileURLToPath(source))];
  if (entry === undefined) return null;
  const module = join(dir, entry.module);
  if (!existsSync(module)) return null;
  for (const [input, hash] of Object.entries(entry.inputs)) {
    if (sha256(join(root, input)) !== hash) return null;
  }
  return pathToFileURL(module);
}

function tsxBootstrapSource(source: URL): string {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(
    join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
}

function workerEntry(source: URL): WorkerEntry {
  let entry = entries.get(source.href);
  if (entry === undefined) {
    const built = source.pathname.endsWith(".ts") ? builtWorkerModule(source) : source;
    entry =
      built === null ? { kind: "eval", source: tsxBootstrapSource(source) } : { kind: "file", url: built };
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
  const entry = workerEntry(source);
  // A plain module needs no loader: inheriting the parent's `--import tsx` would start one per thread.
  return entry.kind === "file"
    ? new Worker(entry.url, { workerData, execArgv: [], resourceLimits })
    : new Worker(entry.source, { eval: true, workerData, resourceLimits });
}
