// CLI entry: finds the longest matching command words and runs the command; usage errors exit 2.
import { type CommandEntry, commands } from "./commands.js";

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  headroom ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: headroom <command> [options]  (every command takes --db <file|postgres URL> and --json)\n\n${lines.join("\n")}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    process.stdout.write(usage());
    return 0;
  }
  let match: CommandEntry | undefined;
  for (const entry of commands) {
    const words = entry.name.split(" ");
    const fits = words.every((w, i) => argv[i] === w);
    if (fits && (!match || words.length > match.name.split(" ").length)) match = entry;
  }
  if (!match) {
    process.stderr.write(`headroom: unknown command "${argv.join(" ")}"\n\n${usage()}`);
    return 2;
  }
  const command = await match.load();
  return command({
    argv: argv.slice(match.name.split(" ").length),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
