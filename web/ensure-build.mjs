#!/usr/bin/env node
// Builds the web UI into web/dist when the build is missing or older than any of its sources, so a fresh
// checkout (`npm ci && npm start`) serves the UI with no separate step. `--force` always builds.

import { spawn } from "node:child_process";
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

/**
 * Builds when stale (or forced); returns whether it built. The build runs in its own process with
 * NODE_ENV=production, so a caller's NODE_ENV (a test runner sets "test") never ships React's development build.
 */
export async function ensureWebBuild(options = {}) {
  if (!options.force && !isWebBuildStale()) return false;
  const vite = join(webDir, "..", "node_modules", "vite", "bin", "vite.js");
  const args = [vite, "build", "--config", join(webDir, "vite.config.ts")];
  if (options.quiet) args.push("--logLevel", "warn");
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: join(webDir, ".."),
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(undefined) : reject(new Error(`web build failed (exit ${code})`)),
    );
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureWebBuild({ force: process.argv.includes("--force") });
  if (!built) process.stderr.write("headroom: web/dist is up to date\n");
}
