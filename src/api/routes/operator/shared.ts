// What the operator route plugins share: their access level, the document body, YAML parsing, the audit write,
// and the registry's version conflict under each route's documented code.

import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { parse as parseYaml } from "yaml";
import type { RegistryRejection } from "../../../engine/index.js";
import { recordAudit } from "../../audit-log.js";
import { actorOf, type Principal } from "../../auth.js";
import type { ApiContext } from "../../context.js";
import { ApiError } from "../../errors.js";
import { errorResponses, Id } from "../../schemas.js";

/** An operator route plugin: registered with the API context as its options. */
export type OperatorPlugin = FastifyPluginAsyncTypebox<{ readonly ctx: ApiContext }>;

export const op = { access: "operator" as const };

/** The options of a route on one model, `/v1/models/:modelId/…`, that takes no body. */
export const oneModelRoute = {
  config: op,
  schema: {
    tags: ["models"],
    params: Type.Object({ modelId: Id }, { additionalProperties: false }),
    response: errorResponses,
  },
};

/** A policy or macro document: JSON, or `{ yaml: "…" }`. */
export const Doc = Type.Record(Type.String(), Type.Unknown());

export async function audit(
  ctx: ApiContext,
  principal: Principal,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  const entry = { atMs: ctx.clock.nowMs(), actor: actorOf(principal), action, target, before, after };
  await recordAudit(ctx.store.db, entry);
}

/** The registry's `version_conflict` under the code docs/errors.md gives it on this route. */
export function conflictAs(
  code: "policy_version_exists" | "model_exists",
  rejection: RegistryRejection,
): RegistryRejection | { code: typeof code; message: string; subject: string } {
  return rejection.code === "version_conflict" ? { ...rejection, code } : rejection;
}

/** A document as sent, or the YAML it carries parsed (`policy_invalid` when it does not parse). */
export function parseDocument(body: unknown): unknown {
  const yaml = (body as { yaml?: unknown } | null)?.yaml;
  if (typeof yaml !== "string") return body;
  try {
    return parseYaml(yaml, { maxAliasCount: 10 });
  } catch (error) {
    throw new ApiError("policy_invalid", "the YAML does not parse", {
      problems: [{ path: "yaml", message: (error as Error).message }],
    });
  }
}
