// GET /v1/models/{modelId}/monitoring: score and characteristic stability of the recent decisions, and AUC / KS
// of matured ones by month (src/api/monitoring.ts computes; docs/api-operations.md defines each figure).

import type { Scorecard } from "../../../scoring/index.js";
import { parseDateOrThrow } from "../../../time/index.js";
import { notFound } from "../../auth.js";
import type { ApiContext } from "../../context.js";
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
} from "../../monitoring.js";
import { type DelinquencyEpisode, delinquencyEpisodes } from "../../portfolio.js";
import { type OperatorPlugin, oneModelRoute } from "./shared.js";

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

async function monitoringReport(ctx: ApiContext, model: Scorecard) {
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
  const recent = latestPerCustomer(rows.recent);
  const episodes = episodesByCustomer(delinquencyEpisodes(rows.delinquency));
  const episodesOf = (customerId: string) => episodes.get(customerId) ?? [];
  const history = months.flatMap((m, i) => {
    const point = historyPoint(model, m, rows.byMonth[i] ?? [], episodesOf, asOf);
    return point === null ? [] : [point];
  });
  const pooled = performanceOf(
    rows.byMonth.flatMap((month) => latestPerCustomer(month)),
    episodesOf,
    asOf,
  );
  const psi = recent.length === 0 ? null : scorePsi(model, recent);
  const reference = model.metrics.test ?? model.metrics.train;
  return {
    modelId: model.modelId,
    businessDate,
    decisions: recent.length,
    windowDays: recentWindowDays,
    psi,
    status: psi === null ? null : psi < psiStableMax ? "stable" : psi < psiShiftMin ? "watch" : "shift",
    characteristics: recent.length === 0 ? [] : characteristicStability(model, recent),
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
}

export const modelMonitoringRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.get("/v1/models/:modelId/monitoring", oneModelRoute, async (request) => {
    const resolved = await ctx.engine.registry.resolveModel(request.params.modelId);
    if (!resolved) throw notFound("model");
    return monitoringReport(ctx, resolved.model);
  });
};
