// Runs a CLI command in-process, as the shell would, and collects what it writes: the one harness the CLI suites
// share. `runCommand` takes a command's function, `runCli` its name in the command table ("keys create").

import { PassThrough } from "node:stream";
import { type Command, commands } from "../../src/cli/commands.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCommand(command: Command, argv: readonly string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += String(chunk);
  });
  stderr.on("data", (chunk) => {
    err += String(chunk);
  });
  const code = await command({ argv: [...argv], stdout, stderr });
  return { code, out, err };
}

export async function runCli(words: string, argv: readonly string[]): Promise<CliRun> {
  const entry = commands.find((c) => c.name === words);
  if (!entry) throw new Error(`no command ${words}`);
  return runCommand(await entry.load(), argv);
}
