// Shared CLI plumbing for commands on a store: --db (else DATABASE_URL, else ./headroom.db), --json, the
// error shape `{ error: { code, message } }` (exit 1 for rejections and store failures, 2 for usage).

import { type ParseArgsConfig, parseArgs } from "node:util";
import { LendingService, systemClock } from "../engine/index.js";
import { parsePositiveMoney } from "../money/index.js";
import { createLendingStore, openStore, type Store, StoreError } from "../store/index.js";
import type { CommandContext } from "./commands.js";

export const dbLocationDefault = "./headroom.db";

export const storeOptions = {
  db: { type: "string" },
  json: { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

/** The --db flag, else DATABASE_URL, else the default file. The CLI edge is where the environment is read. */
export function resolveDbLocation(flag: string | undefined): string {
  return flag ?? process.env.DATABASE_URL ?? dbLocationDefault;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "usage";
}

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value)}\n`);
}

export function writeError(ctx: CommandContext, json: boolean, code: string, message: string): void {
  if (json) writeJson(ctx, { error: { code, message } });
  // A usage message already starts "usage: …": the code is not said twice.
  else ctx.stderr.write(`headroom: ${message.startsWith(`${code}: `) ? message : `${code}: ${message}`}\n`);
}

type CommandOptions = NonNullable<ParseArgsConfig["options"]>;
type StoreCommandArgs<O extends CommandOptions> = ReturnType<
  typeof parseCommandArgs<typeof storeOptions & O>
>;

/** What a store command's body is given: its flags parsed with the store's, and a way to open the store. */
export interface StoreCommandRun<O extends CommandOptions> {
  readonly json: boolean;
  readonly values: StoreCommandArgs<O>["values"];
  readonly positionals: StoreCommandArgs<O>["positionals"];
  readonly open: (db: string | undefined) => Promise<{ store: Store; service: LendingService }>;
}

/**
 * Runs a command body with its flags (`options` and the store's, strictly parsed) and an opened store and
 * lending service; turns thrown usage and store errors into the error shape and an exit code, and closes the
 * store whatever happens.
 */
export async function runStoreCommand<O extends CommandOptions>(
  ctx: CommandContext,
  options: O,
  body: (run: StoreCommandRun<O>) => Promise<number>,
): Promise<number> {
  const json = ctx.argv.includes("--json");
  let store: Store | undefined;
  try {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...storeOptions, ...options });
    const open = async (db: string | undefined) => {
      store = await openStore(resolveDbLocation(db), { nowMs: systemClock.nowMs() });
      const service = new LendingService({
        store: createLendingStore(store.db, () => systemClock.nowMs()),
        clock: systemClock,
      });
      return { store, service };
    };
    return await body({ json, values, positionals, open });
  } catch (error) {
    if (error instanceof UsageError) {
      writeError(ctx, json, error.code, error.message);
      return 2;
    }
    if (error instanceof RejectedInput) {
      if (json) writeJson(ctx, { error: error.rejection });
      else writeError(ctx, false, error.rejection.code, error.rejection.message);
      return 1;
    }
    if (error instanceof StoreError) {
      writeError(ctx, json, error.code, error.message);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

/** A required string option, or a usage error naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`--${flag} is required`);
  return value;
}

/** A whole number from a flag; anything else goes through as NaN so the service rejects it with its code. */
export function numberArg(value: string): number {
  return /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

/** An amount flag: the service's own validation, applied to the text so the rejection quotes what was typed. */
export function amountArg(value: string, field: string): number {
  const parsed = parsePositiveMoney(value, field);
  if (!parsed.ok) throw new RejectedInput(parsed.error);
  return parsed.value;
}

/** A rejection found while reading the flags: printed like the service's rejections (exit 1). */
export class RejectedInput extends Error {
  constructor(readonly rejection: { readonly code: string; readonly message: string }) {
    super(rejection.message);
  }
}

/** Prints a command's result: the receipt (or value) on success, the rejection as an error otherwise. */
export function printResult<T>(
  ctx: CommandContext,
  json: boolean,
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
  human: (value: T) => string,
): number {
  if (!result.ok) {
    if (json) writeJson(ctx, { error: result.error });
    else ctx.stderr.write(`headroom: ${result.error.code}: ${result.error.message}\n`);
    return 1;
  }
  if (json) writeJson(ctx, result.value);
  else ctx.stdout.write(`${human(result.value)}\n`);
  return 0;
}
