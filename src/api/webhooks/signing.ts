// Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one
// signature per valid secret (space separated) so receivers keep verifying across a secret rotation.

import { createHmac, randomBytes } from "node:crypto";

export const secretPrefix = "whsec_";
/** Random bytes in a generated secret. */
export const secretBytes = 32;

export function generateWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(secretBytes).toString("base64")}`;
}

/** A secret is `whsec_` followed by base64 of 24–64 bytes. */
export function isValidWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(secretPrefix)) return false;
  const b64 = secret.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const bytes = Buffer.from(b64, "base64").length;
  return bytes >= 24 && bytes <= 64;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, "base64");
}

/** One `v1,<base64>` signature of a message. `timestampSeconds` is Unix seconds. */
export function signWebhook(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac("sha256", keyOf(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`)
    .digest("base64");
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
}

/** The three headers of a delivery, signed with every secret given (current first). */
export function webhookHeaders(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): WebhookHeaders {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((s) => signWebhook(s, messageId, timestampSeconds, body)).join(" "),
  };
}
