// `headroom keys create --role borrower --customer <id> | --role integration | --role operator | --role admin
// [--label L]`: makes an API key, stores its SHA-256 only, and prints the key once (`{ key, keyId, role,
// customerId }` with --json). `keys list` shows every key but never the key; `keys revoke <keyId>` revokes one
// (audited, as the API's revocation is).

import { ApiError, apiRoles, createApiKey, listKeyViews, revokeKey } from "../api/index.js";
import { systemClock } from "../engine/index.js";
import type { ApiRole } from "../store/index.js";
import type { Command } from "./commands.js";
import { runStoreCommand, UsageError, writeError, writeJson } from "./db-options.js";

export const keysCreateCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      role: { type: "string" },
      customer: { type: "string" },
      label: { type: "string" },
    },
    async ({ json, values, open }) => {
      const role = values.role as ApiRole | undefined;
      if (role === undefined || !apiRoles.includes(role)) {
        throw new UsageError(`--role is one of ${apiRoles.join(", ")}`);
      }
      const { store } = await open(values.db);
      try {
        const created = await createApiKey(store.db, systemClock, {
          role,
          customerId: values.customer ?? null,
          label: values.label ?? "cli",
        });
        if (json) writeJson(ctx, created);
        else {
          ctx.stdout.write(`${created.key}\n`);
          ctx.stderr.write(
            `key ${created.keyId} (${created.role}${created.customerId ? ` of ${created.customerId}` : ""}): shown once, store it now\n`,
          );
        }
        return 0;
      } catch (error) {
        if (error instanceof ApiError) {
          writeError(ctx, json, error.code, error.message);
          return 2;
        }
        throw error;
      }
    },
  );

/** Keys `keys list` prints, at most. */
export const keysListMax = 10_000;

export const keysListCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError("usage: headroom keys list [--db …] [--json]");
    const { store } = await open(values.db);
    const rows = await listKeyViews(store.db, keysListMax);
    if (json) writeJson(ctx, rows);
    else {
      for (const r of rows) {
        const state = r.revokedAt ? `revoked ${r.revokedAt}` : "active";
        ctx.stdout.write(
          `${r.keyId}  ${r.role}${r.customerId ? ` of ${r.customerId}` : ""}  ${r.label}  created ${r.createdAt}  ${state}\n`,
        );
      }
      if (rows.length === 0) ctx.stdout.write("no keys\n");
    }
    return 0;
  });

export const keysRevokeCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    const keyId = positionals[0];
    if (keyId === undefined || positionals.length > 1)
      throw new UsageError("usage: headroom keys revoke <keyId> [--db …] [--json]");
    const { store } = await open(values.db);
    const revoked = await revokeKey(store.db, keyId, systemClock.nowMs(), "cli");
    if (!revoked) {
      writeError(ctx, json, "not_found", `no active key ${keyId}`);
      return 1;
    }
    if (json) writeJson(ctx, { keyId, revoked: true });
    else ctx.stdout.write(`revoked ${keyId}\n`);
    return 0;
  });
