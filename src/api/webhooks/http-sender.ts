// Sends one signed webhook POST over node's http/https with the address pinned: a host name is resolved once,
// in the socket's own `lookup`, and only checked addresses reach the connect; an IP literal is checked first.
// No redirects are followed, no connection is reused, and the response body is discarded unread.

import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import {
  addressRefusal,
  bareHost,
  guardedLookup,
  isIpLiteral,
  type Resolver,
  systemResolver,
  WebhookAddressForbiddenError,
} from "./url-guard.js";

export interface SendResult {
  readonly status: number;
}

/** Sends one signed request; throws on a network failure (WebhookAddressForbiddenError for a private target). */
export type WebhookSender = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SendResult>;

export interface HttpSenderOptions {
  /** Development and tests only: private and loopback targets are allowed (still resolved through `resolve`). */
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  readonly resolve?: Resolver;
}

export function createHttpSender(options: HttpSenderOptions): WebhookSender {
  const lookup = guardedLookup(options.resolve ?? systemResolver, options.allowPrivate);
  return (url, headers, body) =>
    new Promise<SendResult>((resolve, reject) => {
      const target = new URL(url);
      // A literal never goes through `lookup` (node connects to it directly), so it is checked here.
      const host = bareHost(target);
      const literalRefusal = options.allowPrivate || !isIpLiteral(host) ? null : addressRefusal(host);
      if (literalRefusal !== null) {
        reject(new WebhookAddressForbiddenError(`the URL names a non-public address (${literalRefusal})`));
        return;
      }
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(body)),
            ...headers,
          },
          lookup,
          // A fresh agent per request: no idle socket outlives a delivery, each connect goes through `lookup`.
          agent: false,
          signal: AbortSignal.timeout(options.timeoutMs),
        },
        (response: IncomingMessage) => {
          resolve({ status: response.statusCode ?? 0 });
          response.destroy();
        },
      );
      request.on("error", reject);
      request.end(body);
    });
}
