// Webhook subscriptions (operators): create (URL checked against private networks), list, delete, and rotate the
// secret (the old one keeps signing alongside the new one for a grace period). Every change is audited.

import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { subscriptionsMax, type WebhookSubscription, webhookEventTypes } from "../../store/index.js";
import { actorOf, notFound } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorResponses, Id } from "../schemas.js";
import { generateWebhookSecret, isValidWebhookSecret } from "../webhooks/signing.js";
import {
  addSubscription,
  removeSubscription,
  rotateSubscriptionSecret,
  subscriptionView,
} from "../webhooks/subscriptions.js";
import { checkWebhookUrl, webhookUrlLengthMax } from "../webhooks/url-guard.js";

/** How long a rotated-out secret keeps signing, so receivers can switch without dropping a delivery. */
export const secretRotationGraceMs = 24 * 3_600_000;

const EventType = Type.Union(webhookEventTypes.map((t) => Type.Literal(t)));
const SubscriptionView = Type.Object({
  subscriptionId: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.String(),
});
const Params = Type.Object({ subscriptionId: Id }, { additionalProperties: false });

export function registerWebhookRoutes(app: ApiApp, ctx: ApiContext): void {
  subscribeRoute(app, ctx);
  listSubscriptionsRoute(app, ctx);
  unsubscribeRoute(app, ctx);
  rotateSecretRoute(app, ctx);
}

/** POST /v1/webhooks: a new subscription (its secret shown once). */
function subscribeRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/webhooks",
    {
      config: { access: "operator" },
      schema: {
        tags: ["webhooks"],
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: webhookUrlLengthMax }),
            events: Type.Array(EventType, {
              minItems: 1,
              maxItems: webhookEventTypes.length,
              uniqueItems: true,
            }),
            secret: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...SubscriptionView.properties, secret: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const check = await checkWebhookUrl(body.url, ctx.config.allowPrivateWebhookUrls);
      if (!check.ok) throw new ApiError("webhook_url_forbidden", check.reason, { url: body.url });
      if (body.secret !== undefined && !isValidWebhookSecret(body.secret)) {
        throw new ApiError("invalid_request", "a secret is whsec_ followed by base64 of 24–64 bytes");
      }
      const secret = body.secret ?? generateWebhookSecret();
      const nowMs = ctx.clock.nowMs();
      const subscription: WebhookSubscription = {
        subscriptionId: `wh_${randomBytes(10).toString("hex")}`,
        url: body.url,
        events: body.events,
        secrets: [{ secret, expiresMs: null }],
        createdMs: nowMs,
      };
      await addSubscription(ctx.store.db, subscription, actorOf(request.principal!));
      return reply.status(201).send({ ...subscriptionView(subscription), secret });
    },
  );
}

/** GET /v1/webhooks: every subscription. */
function listSubscriptionsRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/webhooks",
    {
      config: { access: "operator" },
      schema: {
        tags: ["webhooks"],
        response: { 200: Type.Object({ items: Type.Array(SubscriptionView) }), ...errorResponses },
      },
    },
    async () => ({
      items: (await ctx.reads.webhookSubscriptions(subscriptionsMax)).map(subscriptionView),
    }),
  );
}

/** Removes a subscription: delete /v1/webhooks/:subscriptionId. */
function unsubscribeRoute(app: ApiApp, ctx: ApiContext): void {
  app.delete(
    "/v1/webhooks/:subscriptionId",
    {
      config: { access: "operator" },
      schema: { tags: ["webhooks"], params: Params, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      const { subscriptionId } = request.params;
      const nowMs = ctx.clock.nowMs();
      const removed = await removeSubscription(
        ctx.store.db,
        subscriptionId,
        nowMs,
        actorOf(request.principal!),
      );
      if (!removed) throw notFound("webhook");
      return reply.status(204).send(null);
    },
  );
}

/** POST /v1/webhooks/:subscriptionId/rotate-secret: a new signing secret. */
function rotateSecretRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/webhooks/:subscriptionId/rotate-secret",
    {
      config: { access: "operator" },
      schema: {
        tags: ["webhooks"],
        summary: "New secret; the previous one keeps signing for 24 h (several signatures per delivery)",
        params: Params,
        response: {
          200: Type.Object({ secret: Type.String(), previousValidUntil: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { subscriptionId } = request.params;
      const nowMs = ctx.clock.nowMs();
      const secret = generateWebhookSecret();
      const until = nowMs + secretRotationGraceMs;
      const rotated = await rotateSubscriptionSecret(ctx.store.db, {
        subscriptionId,
        secret,
        nowMs,
        untilMs: until,
        actor: actorOf(request.principal!),
      });
      if (!rotated) throw notFound("webhook");
      return { secret, previousValidUntil: new Date(until).toISOString() };
    },
  );
}
