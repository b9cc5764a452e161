// The base of the CLI's operational failures that carry a stable code (the union C): the commands print them
// as `{ error: { code, message } }` and exit non-zero.

export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
