// `headroom keys create --role borrower --customer <id> | --role operator | --role admin [--label L]`: makes an
// API key, stores its SHA-256 only, and prints the key once (`{ key, keyId, role, customerId }` with --json).

import { ApiError, apiRoles, createApiKey } from "../api/index.js";
import { systemClock } from "../engine/index.js";
import type { ApiRole } from "../store/index.js";
import type { Command } from "./commands.js";
import {
  parseCommandArgs,
  runStoreCommand,
  storeOptions,
  UsageError,
  writeError,
  writeJson,
} from "./db-options.js";

export const keysCreateCommand: Command = (ctx) =>
  runStoreCommand(ctx, async (json, open) => {
    const { values } = parseCommandArgs(ctx.argv, {
      ...storeOptions,
      role: { type: "string" },
      customer: { type: "string" },
      label: { type: "string" },
    });
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
  });
