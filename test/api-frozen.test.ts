// A frozen borrower gets a way out: with instalments overdue the line freezes, the explanation's plan starts by
// repaying the amount overdue (its first step when verified, else its first action, in the language's one money
// format), and a re-evaluation is withheld (409 line_frozen, saying to repay first) without counting a query.
// Once the arrears are paid the line is active again, and so is the re-evaluation.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { neverPaysGateway } from "../src/lending/index.js";
import { addDays, formatDate, parseDateOrThrow } from "../src/time/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

interface PlanItem {
  readonly action?: string;
  readonly kind?: string;
  readonly message: string;
  readonly moneyMinor?: number;
  readonly order?: number;
  readonly days?: number;
  readonly dueOn?: string;
}
interface Plan {
  readonly verified: boolean;
  readonly summary: string;
  readonly steps: readonly PlanItem[];
  readonly actions?: readonly PlanItem[];
}

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi("sqlite", {}, "frozen");
});
afterAll(async () => {
  await f?.close();
});

/** Noon of a date in Asia/Shanghai (UTC+8). */
const noonMs = (date: string) => Date.parse(`${date}T12:00:00+08:00`);

async function customer(): Promise<{ status: string; overdueMinor: number; businessDate: string }> {
  const r = await f.app.inject({ url: `/v1/customers/${f.customers.a}`, headers: bearer(f.keys.borrowerA) });
  expect(r.statusCode).toBe(200);
  return r.json();
}

async function plan(lang: "en" | "zh-CN"): Promise<Plan> {
  const r = await f.app.inject({
    url: `/v1/customers/${f.customers.a}/explanation?lang=${lang}`,
    headers: bearer(f.keys.borrowerA),
  });
  expect(r.statusCode).toBe(200);
  const body = r.json() as { businessDate: string; plan: Plan };
  // Every step says its date: the decision's business date plus its days.
  for (const step of body.plan.steps) {
    expect(step.dueOn).toBe(
      formatDate(addDays(parseDateOrThrow(body.businessDate), step.days ?? Number.NaN)),
    );
  }
  return body.plan;
}

/** The plan's first step when verified, else its first action. */
function firstOf(p: Plan): PlanItem | undefined {
  return p.verified ? p.steps[0] : p.actions?.[0];
}

function reevaluate() {
  return f.app.inject({
    method: "POST",
    url: `/v1/customers/${f.customers.a}/reevaluations`,
    headers: bearer(f.keys.borrowerA),
    payload: {},
  });
}

async function decisionCount(): Promise<number> {
  return (await f.counts()).decisions ?? 0;
}

async function expectRepayOverdueFirst(overdueMinor: number): Promise<void> {
  const en = await plan("en");
  const first = firstOf(en);
  expect(first?.[en.verified ? "action" : "kind"]).toBe("repay_overdue");
  expect(first?.moneyMinor).toBe(overdueMinor);
  const amount = (overdueMinor / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
  expect(first?.message).toContain(`CNY ${amount}`);
  expect(first?.message).toContain("no longer frozen");
  if (en.verified) {
    expect(en.steps.map((s) => s.order)).toEqual(en.steps.map((_, i) => i + 1));
    // Due on the date the plan is read (the decision's own here), never a date already passed.
    expect(first?.days).toBe(0);
  }
  // Never "no verified plan" or "nothing to recover" beside the arrears: the summary says they come first.
  if (!en.verified || en.steps.length === 1)
    expect(en.summary).toBe(`Your line is frozen while CNY ${amount} is overdue: repaying it comes first`);
  const zh = await plan("zh-CN");
  const zhFirst = firstOf(zh);
  expect(zhFirst?.message).toContain(`¥${amount}`);
  expect(zhFirst?.message).not.toContain("CNY");
}

describe("a frozen borrower", () => {
  it("is overdue and frozen after three instalments go unpaid", async () => {
    unwrapOrThrow(
      await f.engine.lending.drawdown(f.lines.a, {
        amountMinor: 900_000,
        termMonths: 3,
        method: "equal_instalment",
      }),
    );
    // A decision before the arrears: its plan knows nothing of them.
    unwrapOrThrow(
      await f.engine.decisions!.decideForCustomer(f.customers.a, {
        kind: "review.periodic",
        reviewId: "before",
        businessDate: "2026-03-02",
      }),
    );
    expect(firstOf(await plan("en"))?.kind).not.toBe("repay_overdue");
    unwrapOrThrow(await f.engine.lending.runEndOfDay("2026-06-02", neverPaysGateway));
    f.clock.set(noonMs("2026-06-03"));
    const c = await customer();
    expect(c.status).toBe("frozen");
    expect(c.businessDate).toBe("2026-06-03");
    expect(c.overdueMinor).toBeGreaterThan(900_000);
  });

  it("reads repaying the amount overdue first in the plan of the decision made before the arrears", async () => {
    await expectRepayOverdueFirst((await customer()).overdueMinor);
  });

  it("reads it first too in the plan of a decision made while frozen", async () => {
    unwrapOrThrow(
      await f.engine.decisions!.decideForCustomer(f.customers.a, {
        kind: "review.periodic",
        reviewId: "frozen",
        businessDate: "2026-06-03",
      }),
    );
    await expectRepayOverdueFirst((await customer()).overdueMinor);
  });

  it("is refused a re-evaluation with line_frozen, told to repay first, and no query is counted", async () => {
    const { overdueMinor } = await customer();
    const before = await decisionCount();
    const r = await reevaluate();
    expect(r.statusCode).toBe(409);
    const body = r.json() as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(body.error.code).toBe("line_frozen");
    expect(body.error.message).toContain("repay the overdue CNY");
    expect(body.error.details).toEqual({ overdueMinor, frozenForOverdue: true });
    expect(await decisionCount()).toBe(before);
  });

  it("pays the arrears: the line is active, the plan no longer leads with them, re-evaluation is open", async () => {
    const { overdueMinor } = await customer();
    unwrapOrThrow(await f.engine.lending.repay(f.lines.a, { amountMinor: overdueMinor }));
    const c = await customer();
    expect(c).toMatchObject({ status: "active", overdueMinor: 0 });
    expect(firstOf(await plan("en"))?.message ?? "").not.toContain("overdue now");
    const r = await reevaluate();
    expect(r.statusCode).toBe(200);
  });
});
