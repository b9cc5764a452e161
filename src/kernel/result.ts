// Expected rejections are values: Result<T, E> where E is a union keyed by a snake_case `code`.

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** A domain rejection: a stable snake_case code, a human message and structured fields. */
export interface Rejection {
  readonly code: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

export function reject<C extends string, F extends Record<string, unknown>>(
  code: C,
  message: string,
  fields?: F,
): { code: C; message: string } & F {
  return { code, message, ...(fields ?? ({} as F)) };
}

/** Unwraps a result or throws: for tests, scripts and places where a rejection is a bug. */
export function unwrapOrThrow<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const error = result.error as { code?: string; message?: string };
  const failure = new Error(`${error.code ?? "rejected"}: ${error.message ?? JSON.stringify(result.error)}`);
  (failure as Error & { rejection: unknown }).rejection = result.error;
  throw failure;
}
