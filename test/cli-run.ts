// Runs a CLI command in-process with captured standard output and error, as the tests of the CSV commands
// (train, score, monitor) read them.

import { PassThrough } from "node:stream";
import type { CsvCommand } from "../src/cli/csv-commands.js";

export interface CommandRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCommand(command: CsvCommand, argv: readonly string[]): Promise<CommandRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (b: Buffer) => out.push(b));
  stderr.on("data", (b: Buffer) => err.push(b));
  const code = await command({ argv: [...argv], stdout, stderr });
  return { code, out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8") };
}
