// Key management for admins: list every key (never its hash) and revoke one. A revocation is written with its
// audit entry in one transaction and takes effect at once in this process (the authenticator forgets its cache);
// other processes stop accepting the key within the authenticator's cache lifetime (keyCacheTtlMs).

import { Type } from "@sinclair/typebox";
import { actorOf, listKeyViews, notFound, revokeKey } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { errorResponses, Id } from "../schemas.js";

/** Keys one listing returns. */
export const keysListMax = 1_000;

const KeyView = Type.Object({
  keyId: Type.String(),
  role: Type.String(),
  customerId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export function registerKeyRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/keys",
    {
      config: { access: "admin" },
      schema: {
        tags: ["keys"],
        summary: "Every API key, newest first (ids, roles and dates; never the key or its hash)",
        response: { 200: Type.Object({ items: Type.Array(KeyView) }), ...errorResponses },
      },
    },
    async () => ({ items: await listKeyViews(ctx.store.db, keysListMax) }),
  );

  app.delete(
    "/v1/keys/:keyId",
    {
      config: { access: "admin" },
      schema: {
        tags: ["keys"],
        summary: "Revoke a key (it stops working at once here, within seconds everywhere)",
        params: Type.Object({ keyId: Id }, { additionalProperties: false }),
        response: {
          200: Type.Object({ keyId: Type.String(), revoked: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { keyId } = request.params;
      const principal = request.principal!;
      const revoked = await revokeKey(ctx.store.db, keyId, ctx.clock.nowMs(), actorOf(principal));
      if (!revoked) throw notFound("active key");
      ctx.auth.forget();
      return { keyId, revoked: true };
    },
  );
}
