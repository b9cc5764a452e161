// GET /v1/portfolio/summary: exposure, histograms, DPD by month and reasons over the open lines, and the
// decisions a kept recovery-plan promise lifted
// (docs/api-operations.md defines each figure).

import { parseDateOrThrow } from "../../../time/index.js";
import { delinquencyEpisodes, dpdByMonth, histogramOfCounts, scoreHistogramBins } from "../../portfolio.js";
import { errorResponses } from "../../schemas.js";
import { type OperatorPlugin, op } from "./shared.js";

export const portfolioRoutes: OperatorPlugin = async (app, { ctx }) => {
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
        promiseLifted: data.promiseLifts,
      };
    },
  );
};
