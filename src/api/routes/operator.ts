// Operator routes over the registries and reviews: policies (publish, activate, what-if), macro settings,
// models, reviews, experiments and the portfolio summary. Every change is written to the audit log.

import { Type } from "@sinclair/typebox";
import { parse as parseYaml } from "yaml";
import type { RegistryRejection } from "../../engine/index.js";
import { fromPmml } from "../../scoring/index.js";
import { appendAudit } from "../../store/index.js";
import { parseDateOrThrow } from "../../time/index.js";
import { actorOf, notFound, type Principal } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { ApiError, fromRejection } from "../errors.js";
import {
  badDpdMin,
  characteristicStability,
  historyPoint,
  latestPerCustomer,
  monitoringMonths,
  outcomeWindowDays,
  performanceOf,
  psiShiftMin,
  psiStableMax,
  recentWindowDays,
  scorePsi,
} from "../monitoring.js";
import {
  type DelinquencyEpisode,
  delinquencyEpisodes,
  dpdByMonth,
  histogramOfCounts,
  scoreHistogramBins,
} from "../portfolio.js";
import { errorResponses, Id, PageQuery, pageSize, refuseCursor } from "../schemas.js";

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

/** The registry's `version_conflict` under the code docs/errors.md gives it on this route. */
function conflictAs(
  code: "policy_version_exists" | "model_exists",
  rejection: RegistryRejection,
): RegistryRejection | { code: typeof code; message: string; subject: string } {
  return rejection.code === "version_conflict" ? { ...rejection, code } : rejection;
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

/** Recent decisions read for the stability figures, and per month for the history (newest kept). */
export const monitoringRecentMax = 20_000;
export const monitoringMonthMax = 5_000;
function episodesByCustomer(episodes: readonly DelinquencyEpisode[]): Map<string, DelinquencyEpisode[]> {
  const byCustomer = new Map<string, DelinquencyEpisode[]>();
  for (const e of episodes) {
    const list = byCustomer.get(e.customerId) ?? [];
    list.push(e);
    byCustomer.set(e.customerId, list);
  }
  return byCustomer;
}

export function registerOperatorRoutes(app: ApiApp, ctx: ApiContext): void {
  const op = { access: "operator" as const };

  app.get(
    "/v1/portfolio/summary",
    { config: op, schema: { tags: ["operations"], response: errorResponses } },
    async () => {
      const businessDate = await ctx.engine.lending.businessDate();
      const macro = await ctx.engine.registry.currentMacro();
      const data = await ctx.reads.portfolioSnapshot();
      const a = data.aggregates;
      return {
        businessDate,
        lines: a.lines,
        exposureMinor: a.exposureMinor,
        outstandingMinor: a.outstandingMinor,
        budgetMinor: macro?.compiled.exposureBudgetMinor ?? null,
        limitHistogram: a.limitHistogram.map((b) => ({ fromMinor: b.from, toMinor: b.to, count: b.count })),
        scoreHistogram: histogramOfCounts(
          data.scores.map((s) => ({ value: s.score, count: s.count })),
          scoreHistogramBins,
        ),
        utilisationHistogram: a.utilisationHistogram,
        dpdByMonth: dpdByMonth({
          asOf: parseDateOrThrow(businessDate),
          episodes: delinquencyEpisodes(data.delinquency.facts),
          opened: data.lineDates.opened,
          closed: data.lineDates.closed,
        }),
        dpdTruncated: data.delinquency.truncated,
        decisionsByReason: data.reasons,
      };
    },
  );

  app.get(
    "/v1/policies",
    { config: op, schema: { tags: ["policies"], response: errorResponses } },
    async () => {
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
    },
  );

  app.post(
    "/v1/policies",
    { config: op, schema: { tags: ["policies"], body: Doc, response: errorResponses } },
    async (request, reply) => {
      const registry = ctx.engine.registry;
      const document = parseDocument(request.body);
      const result = await registry.publishPolicy(document);
      if (!result.ok) throw fromRejection(conflictAs("policy_version_exists", result.error));
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
      const reviews = ctx.engine.reviews;
      const registry = ctx.engine.registry;
      const body = request.body;
      const policy = body.policy === undefined ? undefined : parseDocument(body.policy);
      const macro = body.macro === undefined ? undefined : parseDocument(body.macro);
      // Validated here so each document's problems carry its own code; the runner validates again.
      if (policy !== undefined) {
        const checked = registry.policyOverride(policy);
        if (!checked.ok)
          throw new ApiError("policy_invalid", "the candidate policy is invalid", {
            problems: checked.error,
          });
      }
      if (macro !== undefined) {
        const checked = registry.macroOverride(macro);
        if (!checked.ok)
          throw new ApiError("macro_invalid", "the candidate macro is invalid", { problems: checked.error });
      }
      const result = await reviews.whatIf({
        ...(policy !== undefined ? { policy } : {}),
        ...(macro !== undefined ? { macro } : {}),
      });
      if (!result.ok)
        throw new ApiError("policy_invalid", result.error.message, { problems: result.error.problems });
      return result.value;
    },
  );

  app.get("/v1/macro", { config: op, schema: { tags: ["macro"], response: errorResponses } }, async () => {
    const registry = ctx.engine.registry;
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
      const registry = ctx.engine.registry;
      const before = await registry.currentMacro();
      const result = await registry.setMacro(parseDocument(request.body));
      if (!result.ok) throw fromRejection(result.error);
      // A macro that changes what is in force re-decides the portfolio; re-publishing the current one does not.
      const changed =
        before === null || before.macroId !== result.value.subject || before.version !== result.value.version;
      const review = changed
        ? await ctx.engine.reviews.start({
            dryRun: false,
            actor: actorOf(request.principal!),
            kind: "macro.changed",
          })
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
      const reviews = ctx.engine.reviews;
      const dryRun = request.body.dryRun ?? false;
      const started = await reviews.start({ dryRun, actor: actorOf(request.principal!) });
      await audit(ctx, request.principal!, "review.started", started.reviewId, null, { dryRun });
      return reply.status(202).send({ reviewId: started.reviewId });
    },
  );

  app.get(
    "/v1/reviews",
    { config: op, schema: { tags: ["reviews"], querystring: PageQuery, response: errorResponses } },
    async (request) => {
      const q = request.query;
      refuseCursor(q.cursor);
      const reviews = ctx.engine.reviews;
      return { items: await reviews.list(pageSize(q.limit)), nextCursor: null };
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
      const reviews = ctx.engine.reviews;
      const found = await reviews.get(request.params.reviewId);
      if (!found) throw notFound("review");
      return found;
    },
  );

  app.get("/v1/models", { config: op, schema: { tags: ["models"], response: errorResponses } }, async () => {
    const registry = ctx.engine.registry;
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
      const registry = ctx.engine.registry;
      let model = request.body as never;
      let format: "json" | "pmml" = "json";
      if (typeof request.body === "string") {
        const parsed = fromPmml(request.body);
        if (!parsed.ok) {
          throw new ApiError("model_invalid", `the PMML does not import: ${parsed.error.message}`, {
            reason: parsed.error.code,
          });
        }
        model = parsed.value as never;
        format = "pmml";
      }
      const result = await registry.registerModel(model, { format });
      if (!result.ok) throw fromRejection(conflictAs("model_exists", result.error));
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
      const { modelId } = request.params;
      const registry = ctx.engine.registry;
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
      const registry = ctx.engine.registry;
      const resolved = await registry.resolveModel(request.params.modelId);
      if (!resolved) throw notFound("model");
      const model = resolved.model;
      const businessDate = await ctx.engine.lending.businessDate();
      const asOf = parseDateOrThrow(businessDate);
      const months = monitoringMonths(asOf).filter((m) => m.fromDay + outcomeWindowDays <= asOf);
      const rows = await ctx.reads.modelMonitoring({
        modelId: model.modelId,
        recent: { fromDay: asOf - recentWindowDays + 1, toDay: asOf, limit: monitoringRecentMax },
        months: months.map((m) => ({
          fromDay: m.fromDay,
          toDay: Math.min(m.toDay, asOf),
          limit: monitoringMonthMax,
        })),
      });
      const data = {
        recent: latestPerCustomer(rows.recent),
        byMonth: rows.byMonth,
        episodes: episodesByCustomer(delinquencyEpisodes(rows.delinquency)),
      };
      const episodesOf = (customerId: string) => data.episodes.get(customerId) ?? [];
      const history = months.flatMap((m, i) => {
        const point = historyPoint(model, m, data.byMonth[i] ?? [], episodesOf, asOf);
        return point === null ? [] : [point];
      });
      const pooled = performanceOf(
        data.byMonth.flatMap((rows) => latestPerCustomer(rows)),
        episodesOf,
        asOf,
      );
      const psi = data.recent.length === 0 ? null : scorePsi(model, data.recent);
      const reference = model.metrics.test ?? model.metrics.train;
      return {
        modelId: model.modelId,
        businessDate,
        decisions: data.recent.length,
        windowDays: recentWindowDays,
        psi,
        status: psi === null ? null : psi < psiStableMax ? "stable" : psi < psiShiftMin ? "watch" : "shift",
        characteristics: data.recent.length === 0 ? [] : characteristicStability(model, data.recent),
        auc: pooled.auc,
        ks: pooled.ks,
        outcomes: {
          matured: pooled.matured,
          bads: pooled.bads,
          windowDays: outcomeWindowDays,
          badDpd: badDpdMin,
        },
        reference: { auc: reference.auc, ks: reference.ks },
        history,
      };
    },
  );

  app.get(
    "/v1/experiments",
    { config: op, schema: { tags: ["policies"], response: errorResponses } },
    async () => ctx.engine.reviews.experiments(),
  );
}
