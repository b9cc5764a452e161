// Operator routes over the registries and reviews: policies (publish, activate, what-if), macro settings,
// models, reviews, experiments and the portfolio summary. Every change is written to the audit log.

import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { parse as parseYaml } from "yaml";
import { appendAudit, portfolioTotals } from "../../store/index.js";
import { actorOf, notFound, type Principal } from "../auth.js";
import { type ApiContext, required } from "../context.js";
import { ApiError, fromRejection } from "../errors.js";
import { errorResponses, Id, PageQuery, pageSize } from "../schemas.js";

export const histogramBins = 10;

const Doc = Type.Record(Type.String(), Type.Unknown());

async function audit(
  ctx: ApiContext,
  principal: Principal,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  await ctx.store.db.transaction((tx) =>
    appendAudit(tx, { atMs: ctx.clock.nowMs(), actor: actorOf(principal), action, target, before, after }),
  );
}

function parseDocument(body: unknown): unknown {
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

function histogram(values: readonly number[], bins: number) {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const counts = Array.from({ length: bins }, () => 0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  return counts.map((count, i) => ({ from: lo + i * width, to: lo + (i + 1) * width, count }));
}

export function registerOperatorRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const op = { access: "operator" as const };

  app.get(
    "/v1/portfolio/summary",
    { config: op, schema: { tags: ["operations"], response: errorResponses } },
    async () => {
      const totals = await ctx.store.db.read((tx) => portfolioTotals(tx));
      const businessDate = await ctx.engine.lending.businessDate();
      return {
        businessDate,
        lines: totals.lines,
        exposureMinor: totals.exposureMinor,
        outstandingMinor: totals.outstandingMinor,
        budgetMinor: null,
        limitHistogram: histogram(
          totals.sample.map((s) => s.limitMinor),
          histogramBins,
        ).map((b) => ({ fromMinor: b.from, toMinor: b.to, count: b.count })),
        scoreHistogram: [],
        utilisationHistogram: histogram(
          totals.sample.map((s) =>
            s.limitMinor > 0 ? Math.round((100 * s.outstandingMinor) / s.limitMinor) : 0,
          ),
          histogramBins,
        ),
        dpdByMonth: [],
        decisionsByReason: [],
      };
    },
  );

  app.get(
    "/v1/policies",
    { config: op, schema: { tags: ["policies"], response: errorResponses } },
    async () => {
      const registry = required(ctx.engine.registry, "the registry");
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
    },
  );

  app.post(
    "/v1/policies",
    { config: op, schema: { tags: ["policies"], body: Doc, response: errorResponses } },
    async (request, reply) => {
      const registry = required(ctx.engine.registry, "the registry");
      const document = parseDocument(request.body);
      const result = await registry.publishPolicy(document);
      if (!result.ok) throw fromRejection(result.error);
      await audit(
        ctx,
        request.principal!,
        "policy.published",
        `${result.value.subject}@${result.value.version}`,
        null,
        result.value,
      );
      return reply.status(201).send(result.value);
    },
  );

  app.post(
    "/v1/policies/:policyId/versions/:version/activate",
    {
      config: op,
      schema: {
        tags: ["policies"],
        params: Type.Object(
          { policyId: Id, version: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        body: Type.Object(
          { weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
          { additionalProperties: false },
        ),
        response: errorResponses,
      },
    },
    async (request) => {
      const { policyId, version } = request.params as { policyId: string; version: number };
      const weight = (request.body as { weight?: number } | undefined)?.weight;
      const registry = required(ctx.engine.registry, "the registry");
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
    {
      config: op,
      schema: {
        tags: ["policies"],
        body: Type.Object(
          { policy: Type.Optional(Doc), macro: Type.Optional(Doc) },
          { additionalProperties: false },
        ),
        response: errorResponses,
      },
    },
    async (request) => {
      const reviews = required(ctx.engine.reviews, "what-if runs");
      const body = request.body as { policy?: unknown; macro?: unknown };
      return reviews.whatIf({
        ...(body.policy !== undefined ? { policy: parseDocument(body.policy) } : {}),
        ...(body.macro !== undefined ? { macro: parseDocument(body.macro) } : {}),
      });
    },
  );

  app.get("/v1/macro", { config: op, schema: { tags: ["macro"], response: errorResponses } }, async () => {
    const registry = required(ctx.engine.registry, "the registry");
    const current = await registry.currentMacro();
    if (!current) throw notFound("macro settings");
    const stored = await registry.store.getMacro(current.macroId, current.version);
    return {
      macroId: current.macroId,
      version: current.version,
      announcementId: current.announcementId,
      document: stored?.document ?? null,
    };
  });

  app.put(
    "/v1/macro",
    { config: op, schema: { tags: ["macro"], body: Doc, response: errorResponses } },
    async (request) => {
      const registry = required(ctx.engine.registry, "the registry");
      const before = await registry.currentMacro();
      const result = await registry.setMacro(parseDocument(request.body));
      if (!result.ok) throw fromRejection(result.error);
      const review = ctx.engine.reviews
        ? await ctx.engine.reviews.start({ dryRun: false, actor: actorOf(request.principal!) })
        : null;
      await audit(
        ctx,
        request.principal!,
        "macro.published",
        `${result.value.subject}@${result.value.version}`,
        before ? { macroId: before.macroId, version: before.version } : null,
        result.value,
      );
      return {
        version: result.value.version,
        announcementId: result.value.announcementId,
        reviewId: review?.reviewId ?? null,
      };
    },
  );

  app.post(
    "/v1/reviews",
    {
      config: op,
      schema: {
        tags: ["reviews"],
        body: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 202: Type.Object({ reviewId: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const reviews = required(ctx.engine.reviews, "portfolio reviews");
      const dryRun = (request.body as { dryRun?: boolean } | undefined)?.dryRun ?? false;
      const started = await reviews.start({ dryRun, actor: actorOf(request.principal!) });
      await audit(ctx, request.principal!, "review.started", started.reviewId, null, { dryRun });
      return reply.status(202).send({ reviewId: started.reviewId });
    },
  );

  app.get(
    "/v1/reviews",
    { config: op, schema: { tags: ["reviews"], querystring: PageQuery, response: errorResponses } },
    async (request) => {
      const reviews = required(ctx.engine.reviews, "portfolio reviews");
      return {
        items: await reviews.list(pageSize((request.query as { limit?: number }).limit)),
        nextCursor: null,
      };
    },
  );

  app.get(
    "/v1/reviews/:reviewId",
    {
      config: op,
      schema: {
        tags: ["reviews"],
        params: Type.Object({ reviewId: Id }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const reviews = required(ctx.engine.reviews, "portfolio reviews");
      const found = await reviews.get((request.params as { reviewId: string }).reviewId);
      if (!found) throw notFound("review");
      return found;
    },
  );

  app.get("/v1/models", { config: op, schema: { tags: ["models"], response: errorResponses } }, async () => {
    const registry = required(ctx.engine.registry, "the registry");
    const active = await registry.store.getPointer("model.active");
    const models = await registry.store.listModels();
    return {
      items: models.map((m) => ({ ...m, active: m.modelId === active })),
    };
  });

  app.post(
    "/v1/models",
    { config: op, schema: { tags: ["models"], response: errorResponses } },
    async (request, reply) => {
      const registry = required(ctx.engine.registry, "the registry");
      if (typeof request.body === "string") {
        throw new ApiError(
          "model_invalid",
          "PMML import is not available over HTTP yet; register it with the CLI",
        );
      }
      const result = await registry.registerModel(request.body as never);
      if (!result.ok) throw fromRejection(result.error);
      await audit(ctx, request.principal!, "model.registered", result.value.modelId, null, result.value);
      return reply.status(201).send(result.value);
    },
  );

  app.post(
    "/v1/models/:modelId/activate",
    {
      config: op,
      schema: {
        tags: ["models"],
        params: Type.Object({ modelId: Id }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const { modelId } = request.params as { modelId: string };
      const registry = required(ctx.engine.registry, "the registry");
      const before = await registry.store.getPointer("model.active");
      const result = await registry.activateModel(modelId);
      if (!result.ok) {
        if (result.error.code === "model_not_found") throw notFound("model");
        throw fromRejection(result.error);
      }
      await audit(
        ctx,
        request.principal!,
        "model.activated",
        modelId,
        { active: before },
        { active: modelId },
      );
      return { modelId, active: true };
    },
  );

  app.get(
    "/v1/models/:modelId/monitoring",
    {
      config: op,
      schema: {
        tags: ["models"],
        params: Type.Object({ modelId: Id }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const registry = required(ctx.engine.registry, "the registry");
      const model = await registry.resolveModel((request.params as { modelId: string }).modelId);
      if (!model) throw notFound("model");
      const test = model.model.metrics.test ?? model.model.metrics.train;
      return { psi: null, characteristics: [], auc: test.auc, ks: test.ks, history: [] };
    },
  );

  app.get(
    "/v1/experiments",
    { config: op, schema: { tags: ["policies"], response: errorResponses } },
    async () => {
      const registry = required(ctx.engine.registry, "the registry");
      const arms = await registry.activeArms();
      return {
        arms: arms.map((a) => ({
          arm: `${a.policyId}@${a.version}`,
          policyVersion: a.version,
          weight: a.weight,
          decisions: 0,
          meanChangeMinor: 0,
          increaseShare: 0,
          decreaseShare: 0,
          expectedLossMinor: 0,
        })),
      };
    },
  );
}
