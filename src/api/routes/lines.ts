// Credit-line routes: read a line and its schedule; draw down and repay (money routes: Idempotency-Key
// required, responses replayed on retry; a key is the line's, whichever API key sends it). A borrower sees only
// their own lines; any other id is a 404.

import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type LineState, lineView, scheduleView } from "../../lending/index.js";
import { canSeeCustomer, notFound, type Principal } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { fromRejection } from "../errors.js";
import { type IdempotentResponse, runIdempotent } from "../idempotency.js";
import { errorResponses, Id, LineResponse, Minor, PositiveMinor } from "../schemas.js";

const LineParams = Type.Object({ lineId: Id }, { additionalProperties: false });

// An instalment on the store's business date (src/lending `instalmentView`): total = principal + interest +
// penalty, and paid counts the same three, so the two compare like with like.
const ScheduleItem = Type.Object({
  drawdownId: Type.String(),
  n: Type.Integer(),
  dueDate: Type.String(),
  principalMinor: Minor,
  interestMinor: Minor,
  penaltyMinor: Minor,
  totalMinor: Minor,
  paidMinor: Minor,
  status: Type.Union(
    [Type.Literal("paid"), Type.Literal("due_today"), Type.Literal("overdue"), Type.Literal("upcoming")],
    {
      description:
        "paid: nothing owed and nothing more can fall on it; due_today: due on the business date; " +
        "upcoming: due later; overdue: its due date has passed with something unpaid",
    },
  ),
});

const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({ description: "required: a retry with the same key replays" }),
  ),
});

const DrawdownBody = Type.Object(
  {
    amountMinor: PositiveMinor,
    termMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    method: Type.Union([
      Type.Literal("equal_instalment"),
      Type.Literal("equal_principal"),
      Type.Literal("interest_first"),
    ]),
  },
  { additionalProperties: false },
);

const RepaymentBody = Type.Object({ amountMinor: PositiveMinor }, { additionalProperties: false });

/** Loads a line the caller may see, or throws 404 (the same answer for "absent" and "not yours"). */
export async function visibleLine(ctx: ApiContext, principal: Principal, lineId: string): Promise<LineState> {
  const stored = await ctx.engine.lending.getLine(lineId);
  if (!stored || !canSeeCustomer(principal, stored.state.customerId)) throw notFound("line");
  return stored.state;
}

/**
 * A money route's write to a line the caller may see, run at most once per Idempotency-Key (a retry gets the
 * stored response): `write` receives the scoped key to pass on as the domain's own idempotency key.
 */
async function idempotentLineWrite(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  route: "drawdown" | "repayment",
  lineId: string,
  write: (key: string) => Promise<IdempotentResponse>,
): Promise<FastifyReply> {
  const principal = request.principal!;
  await visibleLine(ctx, principal, lineId);
  const result = await runIdempotent(
    ctx.store.db,
    ctx.clock,
    principal,
    request,
    route,
    { kind: "line", lineId },
    write,
  );
  return reply.status(result.status).send(result.body);
}

export function registerLineRoutes(app: ApiApp, ctx: ApiContext): void {
  lineRoute(app, ctx);
  scheduleRoute(app, ctx);
  drawdownRoute(app, ctx);
  repaymentRoute(app, ctx);
}

/** GET /v1/lines/:lineId: the line as the caller may see it. */
function lineRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/lines/:lineId",
    {
      config: { access: "borrower" },
      schema: { tags: ["lines"], params: LineParams, response: { 200: LineResponse, ...errorResponses } },
    },
    async (request) => {
      const { lineId } = request.params;
      return lineView(await visibleLine(ctx, request.principal!, lineId));
    },
  );
}

/** GET /v1/lines/:lineId/schedule: every instalment on the business date. */
function scheduleRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/lines/:lineId/schedule",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["lines"],
        params: LineParams,
        response: { 200: Type.Object({ items: Type.Array(ScheduleItem) }), ...errorResponses },
      },
    },
    async (request) => {
      const { lineId } = request.params;
      const state = await visibleLine(ctx, request.principal!, lineId);
      return { items: scheduleView(state, await ctx.engine.lending.businessDate()) };
    },
  );
}

/** POST /v1/lines/:lineId/drawdowns: draw down (idempotent). */
function drawdownRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/lines/:lineId/drawdowns",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["lines"],
        summary: "Draw down from the line (Idempotency-Key required)",
        params: LineParams,
        headers: IdempotencyHeaders,
        body: DrawdownBody,
        response: {
          201: Type.Object({
            drawdownId: Type.String(),
            lineId: Type.String(),
            amountMinor: Minor,
            schedule: Type.Array(ScheduleItem),
            line: LineResponse,
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { lineId } = request.params;
      const body = request.body;
      return idempotentLineWrite(ctx, request, reply, "drawdown", lineId, async (key) => {
        const outcome = await ctx.engine.lending.drawdown(lineId, body, { idempotencyKey: key });
        if (!outcome.ok) throw fromRejection(outcome.error);
        const receipt = outcome.value;
        const stored = await ctx.engine.lending.getLine(lineId);
        const drawdownId = receipt.operationId ?? "";
        return {
          status: 201,
          body: {
            drawdownId,
            lineId,
            amountMinor: body.amountMinor,
            schedule: stored ? scheduleView(stored.state, receipt.businessDate, drawdownId) : [],
            line: receipt.line,
          },
        };
      });
    },
  );
}

/** POST /v1/lines/:lineId/repayments: repay (idempotent); a settled drawdown triggers a decision. */
function repaymentRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/lines/:lineId/repayments",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["lines"],
        summary: "Repay (Idempotency-Key required); a settled drawdown triggers a limit decision",
        params: LineParams,
        headers: IdempotencyHeaders,
        body: RepaymentBody,
        response: {
          201: Type.Object({
            repaymentId: Type.String(),
            allocation: Type.Object({ penaltyMinor: Minor, interestMinor: Minor, principalMinor: Minor }),
            line: LineResponse,
            decisionId: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { lineId } = request.params;
      const body = request.body;
      return idempotentLineWrite(ctx, request, reply, "repayment", lineId, async (key) => {
        const outcome = await ctx.engine.lending.repay(lineId, body, { idempotencyKey: key });
        if (!outcome.ok) throw fromRejection(outcome.error);
        const receipt = outcome.value;
        const events = await ctx.reads.eventsByIds(receipt.eventIds);
        const received = events.find((e) => e.type === "repayment.received")?.payload as
          | { penaltyMinor: number; interestMinor: number; principalMinor: number }
          | undefined;
        let decisionId: string | null = null;
        let line = receipt.line;
        const decided = await ctx.engine.decisions.handleLendingEvents(events);
        const last = decided.at(-1);
        if (last) {
          decisionId = last.decisionId;
          ctx.metrics.inc("headroom_decisions_total", { trigger: last.trigger });
          const after = await ctx.engine.lending.getLine(lineId);
          if (after) line = lineView(after.state);
        }
        return {
          status: 201,
          body: {
            repaymentId: receipt.operationId ?? "",
            allocation: {
              penaltyMinor: received?.penaltyMinor ?? 0,
              interestMinor: received?.interestMinor ?? 0,
              principalMinor: received?.principalMinor ?? 0,
            },
            line,
            decisionId,
          },
        };
      });
    },
  );
}
