// Assertions for impossible states. A failed assertion is a bug, never a user error: it is not caught in the core.

export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, context = "unexpected value"): never {
  throw new AssertionError(`${context}: ${JSON.stringify(value)}`);
}
