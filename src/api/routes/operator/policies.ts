// Policies: list the published versions with their arm weights, publish one (JSON or `{ yaml }`), activate a
// version as an arm, and a what-if of candidate policy and macro documents over today's lines.

import { Type } from "@sinclair/typebox";
import { notFound } from "../../auth.js";
import type { ApiContext } from "../../context.js";
import { ApiError, fromRejection } from "../../errors.js";
import { errorResponses, Id } from "../../schemas.js";
import { audit, conflictAs, Doc, type OperatorPlugin, op, parseDocument } from "./shared.js";

const ActivateParams = Type.Object(
  { policyId: Id, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
const ActivateBody = Type.Object(
  { weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
  { additionalProperties: false },
);
const WhatIfBody = Type.Object(
  { policy: Type.Optional(Doc), macro: Type.Optional(Doc) },
  { additionalProperties: false },
);

async function policyList(ctx: ApiContext) {
  const registry = ctx.engine.registry;
  const arms = await registry.activeArms();
  const policies = await registry.store.listPolicies();
  return {
    items: policies.map((p) => {
      const arm = arms.find((a) => a.policyId === p.policyId && a.version === p.version);
      return {
        policyId: p.policyId,
        version: p.version,
        effectiveDate: String((p.document as { effectiveDate?: unknown }).effectiveDate ?? ""),
        status: arm ? "active" : "inactive",
        weight: arm?.weight ?? 0,
        createdAt: new Date(p.publishedMs).toISOString(),
      };
    }),
  };
}

/** Each candidate checked here so its problems carry its own code; the runner validates again. */
async function whatIf(ctx: ApiContext, body: { policy?: unknown; macro?: unknown }) {
  const registry = ctx.engine.registry;
  const policy = body.policy === undefined ? undefined : parseDocument(body.policy);
  const macro = body.macro === undefined ? undefined : parseDocument(body.macro);
  if (policy !== undefined) {
    const checked = registry.policyOverride(policy);
    if (!checked.ok)
      throw new ApiError("policy_invalid", "the candidate policy is invalid", { problems: checked.error });
  }
  if (macro !== undefined) {
    const checked = registry.macroOverride(macro);
    if (!checked.ok)
      throw new ApiError("macro_invalid", "the candidate macro is invalid", { problems: checked.error });
  }
  const result = await ctx.engine.reviews.whatIf({
    ...(policy !== undefined ? { policy } : {}),
    ...(macro !== undefined ? { macro } : {}),
  });
  if (!result.ok)
    throw new ApiError("policy_invalid", result.error.message, { problems: result.error.problems });
  return result.value;
}

export const policyRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.get("/v1/policies", { config: op, schema: { tags: ["policies"], response: errorResponses } }, () =>
    policyList(ctx),
  );

  app.post(
    "/v1/policies",
    { config: op, schema: { tags: ["policies"], body: Doc, response: errorResponses } },
    async (request, reply) => {
      const result = await ctx.engine.registry.publishPolicy(parseDocument(request.body));
      if (!result.ok) throw fromRejection(conflictAs("policy_version_exists", result.error));
      const { subject, version } = result.value;
      await audit(ctx, request.principal!, "policy.published", `${subject}@${version}`, null, result.value);
      return reply.status(201).send(result.value);
    },
  );

  app.post(
    "/v1/policies/:policyId/versions/:version/activate",
    {
      config: op,
      schema: { tags: ["policies"], params: ActivateParams, body: ActivateBody, response: errorResponses },
    },
    async (request) => {
      const { policyId, version } = request.params;
      const weight = request.body.weight;
      const registry = ctx.engine.registry;
      const stored = await registry.store.getPolicy(policyId, version);
      if (!stored) throw notFound("policy version");
      const before = await registry.activeArms();
      const result = await registry.publishPolicy(stored.document, weight === undefined ? {} : { weight });
      if (!result.ok) throw fromRejection(result.error);
      const after = await registry.activeArms();
      await audit(ctx, request.principal!, "policy.activated", `${policyId}@${version}`, before, after);
      return { arms: after };
    },
  );

  app.post(
    "/v1/policies/what-if",
    { config: op, schema: { tags: ["policies"], body: WhatIfBody, response: errorResponses } },
    (request) => whatIf(ctx, request.body),
  );
};
