// How a transaction that lost a race (serialization failure, deadlock, busy database) is tried again: at most
// `transactionAttemptsMax` attempts, with a jittered backoff that grows linearly up to `retryBackoffMaxMs`.

/** Retries of a transaction that lost a race (serialization failure, deadlock, busy database). */
export const transactionAttemptsMax = 12;
/** Backoff between retries grows linearly up to this. */
export const retryBackoffMaxMs = 50;

export function backoffMs(attempt: number): number {
  return Math.min(retryBackoffMaxMs, 2 * attempt) * (0.5 + Math.random());
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits the backoff before attempt `attempt + 1`. */
export function waitBeforeRetry(attempt: number): Promise<void> {
  return delay(backoffMs(attempt));
}
