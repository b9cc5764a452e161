// Delivers the webhook outbox: claims due rows with a lease (so two server processes do not send the same
// row at once), signs, POSTs, and on failure retries with exponential backoff until `attemptsMax`.
// The clock and the timer are injected: tests drive the dispatcher by calling `runOnce` and moving the clock.
// The default sender resolves each target once and connects only to the addresses it checked (http-sender.ts).

import type { Clock } from "../../kernel/index.js";
import {
  type Db,
  dueDeliveries,
  markAttemptFailed,
  markDelivered,
  type OutboxDelivery,
} from "../../store/index.js";
import { createHttpSender, type WebhookSender } from "./http-sender.js";
import { webhookHeaders } from "./signing.js";
import { parseWebhookUrl, type Resolver, WebhookAddressForbiddenError } from "./url-guard.js";

export type { SendResult, WebhookSender } from "./http-sender.js";

export const deliveryAttemptsMax = 10;
export const backoffBaseMs = 5_000;
export const backoffMaxMs = 6 * 3_600_000;
/** A claimed row is not offered again for this long (the send's own timeout is shorter). */
export const deliveryLeaseMs = 60_000;
export const deliveryTimeoutMs = 10_000;
export const deliveryBatchMax = 50;
export const pollIntervalMs = 1_000;

/** Delay before attempt `attempt + 1` after `attempt` failures: base·2^(attempt−1), capped. */
export function backoffDelayMs(attempt: number): number {
  return Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, attempt - 1));
}

export interface Timer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: Timer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DispatcherOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Replaces the pinned http sender; a replacement owns the address check of its own connections. */
  readonly send?: WebhookSender;
  /** How the default sender resolves host names (the system resolver unless a test injects one). */
  readonly resolve?: Resolver;
  readonly timer?: Timer;
  readonly allowPrivateUrls: boolean;
  readonly attemptsMax?: number;
  readonly onDelivery?: (outcome: DeliveryOutcome) => void;
}

export interface DeliveryOutcome {
  readonly messageId: string;
  readonly subscriptionId: string;
  readonly ok: boolean;
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
  /** When the next attempt is due, or null (delivered or given up). */
  readonly nextAttemptMs: number | null;
}

export interface WebhookDispatcher {
  /** Sends everything due now; resolves when each claimed row is delivered or rescheduled. */
  runOnce(): Promise<DeliveryOutcome[]>;
  /** Polls on the timer until `stop`. */
  start(): void;
  stop(): Promise<void>;
}

async function claim(db: Db, nowMs: number): Promise<OutboxDelivery[]> {
  return db.transaction(async (tx) => {
    const due = await dueDeliveries(tx, nowMs, deliveryBatchMax);
    const claimed: OutboxDelivery[] = [];
    for (const d of due) {
      // Conditional update: only one process moves a row's next attempt forward.
      const won = await tx.run(
        "UPDATE webhook_outbox SET next_attempt_ms = ? WHERE message_id = ? AND subscription_id = ? AND state = 'pending' AND next_attempt_ms <= ?",
        [nowMs + deliveryLeaseMs, d.messageId, d.subscriptionId, nowMs],
      );
      if (won > 0) claimed.push(d);
    }
    return claimed;
  });
}

export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const send =
    options.send ??
    createHttpSender({
      allowPrivate: options.allowPrivateUrls,
      timeoutMs: deliveryTimeoutMs,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
  const timer = options.timer ?? realTimer;
  const attemptsMax = options.attemptsMax ?? deliveryAttemptsMax;
  let handle: unknown = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  const deliver = async (d: OutboxDelivery): Promise<DeliveryOutcome> => {
    const nowMs = options.clock.nowMs();
    const attempt = d.attempts + 1;
    const secrets = d.secrets.filter((s) => s.expiresMs === null || s.expiresMs > nowMs).map((s) => s.secret);
    let status: number | null = null;
    let error: string | null = null;
    // The address check happens once, inside the send, on the very addresses the socket connects to.
    const check = parseWebhookUrl(d.url);
    if (!check.ok) error = `webhook_url_forbidden: ${check.reason}`;
    else {
      try {
        const headers = webhookHeaders(secrets, d.messageId, Math.floor(nowMs / 1000), d.body);
        status = (await send(d.url, { ...headers }, d.body)).status;
        if (status < 200 || status >= 300) error = `receiver answered ${status}`;
      } catch (e) {
        error =
          e instanceof WebhookAddressForbiddenError
            ? `webhook_url_forbidden: ${e.message}`
            : `send failed: ${(e as Error).message}`;
      }
    }
    const doneMs = options.clock.nowMs();
    let nextAttemptMs: number | null = null;
    if (error === null) {
      await options.db.transaction((tx) => markDelivered(tx, d.messageId, d.subscriptionId, doneMs));
    } else {
      nextAttemptMs = attempt >= attemptsMax ? null : doneMs + backoffDelayMs(attempt);
      await options.db.transaction((tx) =>
        markAttemptFailed(tx, d.messageId, d.subscriptionId, error ?? "", nextAttemptMs),
      );
    }
    const outcome: DeliveryOutcome = {
      messageId: d.messageId,
      subscriptionId: d.subscriptionId,
      ok: error === null,
      attempt,
      status,
      error,
      nextAttemptMs,
    };
    options.onDelivery?.(outcome);
    return outcome;
  };

  const runOnce = async (): Promise<DeliveryOutcome[]> => {
    const claimed = await claim(options.db, options.clock.nowMs());
    return Promise.all(claimed.map(deliver));
  };

  const tick = (): void => {
    handle = null;
    if (stopped) return;
    running = runOnce()
      .catch(() => undefined)
      .finally(() => {
        running = null;
        if (!stopped) handle = timer.set(tick, pollIntervalMs);
      });
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      handle = timer.set(tick, 0);
    },
    async stop() {
      stopped = true;
      if (handle !== null) timer.clear(handle);
      handle = null;
      await running;
    },
  };
}
