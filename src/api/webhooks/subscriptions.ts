// Webhook subscription changes, each in one transaction with its audit entry: add (at most `subscriptionsMax`),
// remove, and rotate the secret (the old ones keep signing until the grace period ends). Routes call these.

import {
  appendAudit,
  type Db,
  deleteSubscription,
  getSubscription,
  insertSubscription,
  listSubscriptions,
  subscriptionsMax,
  updateSubscriptionSecrets,
  type WebhookSubscription,
} from "../../store/index.js";
import { ApiError } from "../errors.js";

/** A subscription as the API shows it: never its secrets. */
export function subscriptionView(s: WebhookSubscription) {
  return {
    subscriptionId: s.subscriptionId,
    url: s.url,
    events: [...s.events],
    createdAt: new Date(s.createdMs).toISOString(),
  };
}

/** Stores a subscription, or `invalid_request` when `subscriptionsMax` are stored already. */
export async function addSubscription(
  db: Db,
  subscription: WebhookSubscription,
  actor: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if ((await listSubscriptions(tx, subscriptionsMax)).length >= subscriptionsMax) {
      throw new ApiError("invalid_request", `at most ${subscriptionsMax} subscriptions`);
    }
    await insertSubscription(tx, subscription);
    await appendAudit(tx, {
      atMs: subscription.createdMs,
      actor,
      action: "webhook.created",
      target: subscription.subscriptionId,
      before: null,
      after: subscriptionView(subscription),
    });
  });
}

/** Deletes a subscription; false when there is none by that id. */
export async function removeSubscription(
  db: Db,
  subscriptionId: string,
  nowMs: number,
  actor: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await getSubscription(tx, subscriptionId);
    if (!before || !(await deleteSubscription(tx, subscriptionId, nowMs))) return false;
    await appendAudit(tx, {
      atMs: nowMs,
      actor,
      action: "webhook.deleted",
      target: subscriptionId,
      before: subscriptionView(before),
      after: null,
    });
    return true;
  });
}

/**
 * Makes `secret` the subscription's signing secret; every secret still valid keeps signing until `untilMs` (or
 * its own earlier expiry). False when there is no subscription by that id.
 */
export async function rotateSubscriptionSecret(
  db: Db,
  change: { subscriptionId: string; secret: string; nowMs: number; untilMs: number; actor: string },
): Promise<boolean> {
  const { subscriptionId, secret, nowMs, untilMs } = change;
  return db.transaction(async (tx) => {
    const s = await getSubscription(tx, subscriptionId);
    if (!s) return false;
    const kept = s.secrets
      .filter((x) => x.expiresMs === null || x.expiresMs > nowMs)
      .map((x) => ({
        secret: x.secret,
        expiresMs: x.expiresMs === null ? untilMs : Math.min(x.expiresMs, untilMs),
      }));
    await updateSubscriptionSecrets(tx, subscriptionId, [{ secret, expiresMs: null }, ...kept]);
    await appendAudit(tx, {
      atMs: nowMs,
      actor: change.actor,
      action: "webhook.secret_rotated",
      target: subscriptionId,
      before: { secrets: s.secrets.length },
      after: { secrets: kept.length + 1, previousValidUntil: new Date(untilMs).toISOString() },
    });
    return true;
  });
}
