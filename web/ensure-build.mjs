#!/usr/bin/env node
// Builds the web UI into web/dist when the build is missing or older than any of its sources, so a fresh
// checkout (`npm ci && npm start`) serves the UI with no separate step. `--force` always builds.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = fileURLToPath(new URL(".", import.meta.url));
export const webDistIndex = join(webDir, "dist", "index.html");
const sources = [join(webDir, "index.html"), join(webDir, "vite.config.ts"), join(webDir, "src")];

/** Newest modification time (ms) among a file or every file under a directory. */
function newestMs(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

/** True when web/dist is missing or a source changed after the last build. */
export function isWebBuildStale() {
  if (!existsSync(webDistIndex)) return true;
  const built = statSync(webDistIndex).mtimeMs;
  return sources.some((s) => newestMs(s) > built);
}

/** Builds when stale (or forced); returns whether it built. */
export async function ensureWebBuild(options = {}) {
  if (!options.force && !isWebBuildStale()) return false;
  const { build } = await import("vite");
  await build({ configFile: join(webDir, "vite.config.ts"), logLevel: options.quiet ? "warn" : "info" });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureWebBuild({ force: process.argv.includes("--force") });
  if (!built) process.stderr.write("headroom: web/dist is up to date\n");
}
