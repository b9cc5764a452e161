// Helpers to drive child processes from tests without sleeping: wait for a line of output, collect the rest.

import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

export const repoRoot = resolve(import.meta.dirname, "../..");

/** Starts `node --import tsx <script> ...args` in the repository root. */
export function spawnTsx(script: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", resolve(repoRoot, script), ...args], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env },
  });
}

/** Resolves with the first line of `stream` that `matches`; rejects if the process ends first. */
export function waitForLine(
  child: ChildProcess,
  stream: "stdout" | "stderr",
  matches: (line: string) => boolean,
): Promise<string> {
  const source = child[stream];
  if (!source) return Promise.reject(new Error(`child has no ${stream}`));
  return new Promise((resolvePromise, rejectPromise) => {
    const reader = createInterface({ input: source });
    const onExit = (code: number | null) =>
      rejectPromise(new Error(`child exited (${code}) before the line came`));
    child.once("exit", onExit);
    reader.on("line", (line) => {
      if (matches(line)) {
        child.off("exit", onExit);
        reader.close();
        resolvePromise(line);
      }
    });
  });
}

/** Everything the child writes to stdout until it exits, plus the exit code. */
export function collect(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolvePromise) =>
    child.once("close", (code) => resolvePromise({ code, stdout, stderr })),
  );
}
