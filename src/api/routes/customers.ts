// Customer routes: the customer's line and latest decision, the explanation of the latest limit change, the
// limit history, and a borrower-requested re-evaluation (rate-limited; counted as a limit query; withheld while
// the line is frozen). A frozen or overdue line's arrears lead the explanation's plan, read from the line now.

import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { type DecisionRecord, overdueMinorOf } from "../../engine/index.js";
import { formatMoney, type OverdueStanding } from "../../explain/index.js";
import { type LineState, lineView, overdueFreezeReason } from "../../lending/index.js";
import { parseDateOrThrow } from "../../time/index.js";
import { notFound, type Principal, requireCustomer } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { ApiError, fromRejection } from "../errors.js";
import { renderDecisionSummary, renderExplanationResponse } from "../render.js";
import {
  checkedDecisionCursor,
  decodeCursor,
  encodeCursor,
  errorResponses,
  Id,
  Lang,
  LineStatus,
  Minor,
  PageQuery,
  pageSize,
} from "../schemas.js";

const CustomerParams = Type.Object({ customerId: Id }, { additionalProperties: false });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CustomerResponse = Type.Object({
  customerId: Type.String(),
  lineId: Type.String(),
  limitMinor: Minor,
  availableMinor: Minor,
  outstandingMinor: Minor,
  status: LineStatus,
  /** Owed on instalments past their due date (through the line's last end of day); 0 when current. */
  overdueMinor: Minor,
  /** The store's business date ("YYYY-MM-DD"): what a plan's step dates are read against. */
  businessDate: Type.String(),
  score: Nullable(Type.Number()),
  band: Nullable(Type.String()),
  latestDecisionId: Nullable(Type.String()),
});

/** The line's arrears as the explanation's plan reads them (not among a decision's inputs); the CLI's too. */
export function overdueStandingOf(state: LineState, latest: DecisionRecord, today: string): OverdueStanding {
  return {
    dueInDays: parseDateOrThrow(today) - parseDateOrThrow(latest.businessDate),
    overdueMinor: overdueMinorOf(state),
    frozen: state.status === "frozen",
    frozenForOverdue: state.status === "frozen" && state.freezeReason === overdueFreezeReason,
    limitMinor: state.limitMinor,
    score: latest.score.score,
  };
}

/** A re-evaluation is withheld while the line is frozen: it could not raise the limit, yet counts as a query. */
function lineFrozenError(state: LineState): ApiError {
  const overdueMinor = overdueMinorOf(state);
  const frozenForOverdue = state.freezeReason === overdueFreezeReason;
  const message =
    overdueMinor > 0
      ? `the line is frozen: repay the overdue ${formatMoney(overdueMinor, "en")} first, then ask for a re-evaluation`
      : "the line is frozen: a re-evaluation can be asked for once the freeze is lifted";
  return new ApiError("line_frozen", message, { overdueMinor, frozenForOverdue });
}

/** The customer's line, or 404 — for "no such customer" and "not yours" alike. */
export async function visibleCustomerLine(
  ctx: ApiContext,
  principal: Principal,
  customerId: string,
): Promise<LineState> {
  requireCustomer(principal, customerId);
  const lineId = await ctx.reads.lineOfCustomer(customerId);
  const stored = lineId === null ? null : await ctx.engine.lending.getLine(lineId);
  if (!stored) throw notFound("customer");
  return stored.state;
}

function customerView(state: LineState, latest: DecisionRecord | null, businessDate: string) {
  return {
    ...lineView(state),
    overdueMinor: overdueMinorOf(state),
    businessDate,
    score: latest?.score.score ?? null,
    band: latest?.band ?? null,
    latestDecisionId: latest?.decisionId ?? null,
  };
}

export function registerCustomerRoutes(app: ApiApp, ctx: ApiContext): void {
  listCustomersRoute(app, ctx);
  customerRoute(app, ctx);
  explanationRoute(app, ctx);
  customerDecisionsRoute(app, ctx);
  reevaluationRoute(app, ctx);
}

/** GET /v1/customers: the operator's page of customers and their lines. */
function listCustomersRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/customers",
    {
      config: { access: "operator" },
      schema: {
        tags: ["operations"],
        querystring: Type.Object(
          { ...PageQuery.properties, status: Type.Optional(LineStatus) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Omit(CustomerResponse, ["latestDecisionId", "overdueMinor", "businessDate"]),
            ),
            nextCursor: Nullable(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = pageSize(q.limit);
      const after = decodeCursor(q.cursor, (v): v is string => typeof v === "string");
      const rows = await ctx.reads.customerLines({
        afterCustomerId: after,
        limit: limit + 1,
        status: q.status ?? null,
      });
      const page = rows.slice(0, limit);
      const items = [];
      for (const r of page) {
        const latest = await ctx.engine.decisions.latestDecision(r.customerId);
        items.push({
          customerId: r.customerId,
          lineId: r.lineId,
          limitMinor: r.limitMinor,
          availableMinor: Math.max(0, r.limitMinor - r.outstandingMinor),
          outstandingMinor: r.outstandingMinor,
          status: r.status,
          score: latest?.score.score ?? null,
          band: latest?.band ?? null,
        });
      }
      const last = page.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.customerId) : null };
    },
  );
}

/** GET /v1/customers/:customerId: the line and the latest decision. */
function customerRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/customers/:customerId",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["customers"],
        params: CustomerParams,
        response: { 200: CustomerResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { customerId } = request.params;
      const state = await visibleCustomerLine(ctx, request.principal!, customerId);
      const latest = await ctx.engine.decisions.latestDecision(customerId);
      return customerView(state, latest, await ctx.engine.lending.businessDate());
    },
  );
}

/** GET /v1/customers/:customerId/explanation: the latest decision explained, arrears as they stand now. */
function explanationRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/customers/:customerId/explanation",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["customers"],
        summary: "The latest decision's explanation: reasons, attribution, recovery plan",
        params: CustomerParams,
        querystring: Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const { customerId } = request.params;
      const { lang } = request.query;
      const state = await visibleCustomerLine(ctx, request.principal!, customerId);
      const decisions = ctx.engine.decisions;
      const latest = await decisions.latestDecision(customerId);
      if (!latest) throw notFound("decision");
      // The arrears as they stand now lead the plan, not those recorded: the latest decision may predate them.
      const standing = overdueStandingOf(state, latest, await ctx.engine.lending.businessDate());
      return renderExplanationResponse(latest, lang ?? "en", standing);
    },
  );
}

/** GET /v1/customers/:customerId/decisions: the limit history, newest first. */
function customerDecisionsRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/customers/:customerId/decisions",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["customers"],
        summary: "The limit history, newest first",
        params: CustomerParams,
        querystring: Type.Object(
          { ...PageQuery.properties, lang: Type.Optional(Lang) },
          { additionalProperties: false },
        ),
        response: errorResponses,
      },
    },
    async (request) => {
      const { customerId } = request.params;
      const q = request.query;
      const cursor = checkedDecisionCursor(q.cursor);
      await visibleCustomerLine(ctx, request.principal!, customerId);
      const decisions = ctx.engine.decisions;
      const page = await decisions.listDecisions({
        customerId,
        limit: pageSize(q.limit),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      return {
        items: page.items.map((r) => renderDecisionSummary(r, q.lang ?? "en")),
        nextCursor: page.nextCursor,
      };
    },
  );
}

/** POST /v1/customers/:customerId/reevaluations: a borrower-requested decision now. */
function reevaluationRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/customers/:customerId/reevaluations",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["customers"],
        summary:
          "Ask for a re-evaluation now (counts as a limit query; rate-limited; withheld while the line is frozen)",
        params: CustomerParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({ decisionId: Type.String(), previousLimitMinor: Minor, newLimitMinor: Minor }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { customerId } = request.params;
      const principal = request.principal!;
      const state = await visibleCustomerLine(ctx, principal, customerId);
      if (state.status === "frozen") throw lineFrozenError(state);
      const decisions = ctx.engine.decisions;
      const outcome = await decisions.decideForCustomer(customerId, {
        kind: "reevaluation.requested",
        // One trigger per request: the engine's rate limit, not trigger de-duplication, answers a repeat.
        triggerId: `reeval:${customerId}:${ctx.clock.nowMs()}:${randomBytes(4).toString("hex")}`,
        actor: principal.role === "borrower" ? "borrower" : "operator",
      });
      if (!outcome.ok) {
        const e = outcome.error;
        if (e.code === "reevaluation_rate_limited") {
          throw new ApiError(
            e.code,
            e.message,
            { retryAfterSeconds: e.retryAfterSeconds },
            {
              "retry-after": String(e.retryAfterSeconds),
            },
          );
        }
        if (e.code === "customer_not_found") throw notFound("customer");
        throw fromRejection(e);
      }
      const r = outcome.value.record;
      ctx.metrics.inc("headroom_decisions_total", { trigger: r.trigger });
      return {
        decisionId: r.decisionId,
        previousLimitMinor: r.previousLimitMinor,
        newLimitMinor: r.newLimitMinor,
      };
    },
  );
}
