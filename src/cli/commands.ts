// The command table: each command lives in its own module, loaded only when it runs.

export interface CommandContext {
  /** Arguments after the command words. */
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A command returns its process exit code. */
export type Command = (ctx: CommandContext) => Promise<number>;

export interface CommandEntry {
  /** The command words, e.g. "events import". */
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: readonly CommandEntry[] = [];
