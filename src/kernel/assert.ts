// Assertions for impossible states. A failed assertion is a bug, never a user error: it is not caught in the core.

export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

/**
 * `detail`, when given, is appended to the message only on failure: a hot path names the offending value
 * without formatting it on every call.
 */
export function assert(condition: unknown, message: string, detail?: unknown): asserts condition {
  if (!condition) throw new AssertionError(detail === undefined ? message : `${message} ${String(detail)}`);
}

export function assertNever(value: never, context = "unexpected value"): never {
  throw new AssertionError(`${context}: ${JSON.stringify(value)}`);
}
