// `headroom audit explanations`: each rule catches a hand-made bad record (no rule is vacuous), and simulated
// portfolios (steady, tightening, recession) audit clean. The text the audit checks is the text the API serves
// the web UI: a customer's latest decision led by the line's arrears now, any other by those it recorded.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/auth.js";
import { buildServer, loadApiConfig, openApiEngine } from "../src/api/index.js";
import { openDecisionEngine } from "../src/app/index.js";
import type { ExplanationAuditReport } from "../src/cli/audit-explanations-command.js";
import { renderedAsServed, standingOf } from "../src/cli/audit-explanations-command.js";
import { commands } from "../src/cli/commands.js";
import { LendingService, systemClock } from "../src/engine/index.js";
import {
  type AuditContext,
  type AuditedDecision,
  type AuditedRendering,
  type AuditRule,
  auditDecision,
  auditRule,
  type ExplainContext,
  type Explanation,
  explainDecision,
  type Lang,
  recordedOverdueStanding,
  renderedForAudit,
  windowHighestMinor,
} from "../src/explain/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { runSimulation, type ScenarioName } from "../src/sim/index.js";
import {
  createDecisionStore,
  createLendingStore,
  decodeRow,
  openStore,
  recordSelect,
  type Store,
  type StoredRecordRow,
} from "../src/store/index.js";
import { formatDate } from "../src/time/index.js";
import { contextFor, goodFeatures, today } from "./explain-fixtures.js";

const opened = today - 400;

function line(limitMinor: number, dpd = 0, status: "active" | "frozen" = "active") {
  return { limitMinor, outstandingMinor: 0, status, dpd, openedOn: opened } as ExplainContext["line"];
}

interface Subject {
  record: AuditedDecision;
  ctx: AuditContext;
}

/** A decision as the engine would record it, from an explain fixture's context. */
function subjectOf(c: ExplainContext, explanation: Explanation = explainDecision(c)): Subject {
  return {
    record: {
      decisionId: c.decisionId,
      businessDate: formatDate(c.businessDate),
      trigger: c.trigger.kind,
      triggerDetail: { actor: c.trigger.actor ?? "system" },
      features: c.features,
      line: c.line,
      previousLimitMinor: c.line.limitMinor,
      newLimitMinor: c.outcome.limitMinor,
      outcome: c.outcome,
      explanation,
    },
    ctx: {
      model: c.model,
      policy: c.policy.compiled,
      windowHighestMinor: c.line.limitMinor,
      rendered: renderedForAudit(explanation),
    },
  };
}

/** The same subject with its explanation changed (and rendered again). */
function withExplanation(s: Subject, change: (e: Explanation) => Explanation): Subject {
  const explanation = change(s.record.explanation!);
  return {
    record: { ...s.record, explanation },
    ctx: { ...s.ctx, rendered: renderedForAudit(explanation) },
  };
}

/** The same subject with one language's rendering changed. */
function withRendered(s: Subject, lang: Lang, change: (r: AuditedRendering) => AuditedRendering): Subject {
  return {
    record: s.record,
    ctx: { ...s.ctx, rendered: { ...s.ctx.rendered, [lang]: change(s.ctx.rendered[lang]) } },
  };
}

const rule = (r: AuditRule, s: Subject) => auditRule(r, s.record, s.ctx);

const bureau = { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 };
/** A fall that rules lowered (the capacity ceiling of 6 × income, cycling), with characteristics besides. */
const decrease = subjectOf(
  contextFor({
    features: { ...goodFeatures, cycleCount90d: 6, loginDays30d: 3 },
    bureau,
    line: line(7_000_000),
    previousBand: "AA",
    lastIncreaseOn: null,
    trigger: { kind: "review.periodic" },
    previous: null,
  }),
);
/** An unchanged limit held by the limit-query block. */
const unchanged = subjectOf(
  contextFor({
    features: { ...goodFeatures, limitQueries30d: 12 },
    bureau,
    line: line(5_000_000),
    previousBand: "AA",
    lastIncreaseOn: null,
    trigger: { kind: "review.periodic" },
    previous: null,
  }),
);
/** A thin file: no bureau report, no repayment history. */
const thin = subjectOf(
  contextFor({
    features: {
      ...goodFeatures,
      onTimeRatio12m: null,
      debtToIncome: null,
      bureauDelinquencies24m: null,
      bureauInquiries6m: null,
      loginDays30d: 4,
    },
    bureau: null,
    line: line(1_000_000),
    previousBand: null,
    lastIncreaseOn: null,
    trigger: { kind: "review.periodic" },
    previous: null,
  }),
);

/** An API server over the database at `db` (clock at 2026-07-01) with an operator key, closed after `fn`. */
async function withServer(
  db: string,
  fn: (server: {
    app: Awaited<ReturnType<typeof buildServer>>;
    key: string;
    store: Store;
    clock: ManualClock;
  }) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 6, 1));
  const store = await openStore(db, { nowMs: clock.nowMs() });
  try {
    const engine = await openApiEngine(store, clock);
    const config = loadApiConfig({ demoMode: true }, {});
    const app = await buildServer({ store, engine, config, clock });
    const key = (await createApiKey(store.db, clock, { role: "operator", customerId: null })).key;
    try {
      await fn({ app, key, store, clock });
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

describe("each rule catches a hand-made bad record", () => {
  it("the fixtures themselves audit clean and exercise what the rules read", () => {
    for (const s of [decrease, unchanged, thin]) expect(auditDecision(s.record, s.ctx)).toEqual([]);
    expect(decrease.record.newLimitMinor).toBeLessThan(decrease.record.previousLimitMinor);
    expect(decrease.record.explanation!.reasons.some((r) => r.kind === "rule")).toBe(true);
    expect(decrease.record.explanation!.reasons.some((r) => r.kind === "characteristic")).toBe(true);
    expect(unchanged.record.newLimitMinor).toBe(unchanged.record.previousLimitMinor);
    expect(thin.record.explanation!.reasons.some((r) => r.kind === "missing_data")).toBe(true);
  });

  it("characteristic_reach: a betterAt the wrong way, or a value already in the best reachable bin", () => {
    const i = decrease.record.explanation!.reasons.findIndex((r) => r.kind === "characteristic");
    const flip = (e: Explanation, over: object) => ({
      ...e,
      reasons: e.reasons.map((r, k) => (k === i ? { ...r, ...over } : r)),
    });
    const r = decrease.record.explanation!.reasons[i]!;
    const wrongWay = withExplanation(decrease, (e) =>
      flip(e, { direction: r.direction === "higher" ? "lower" : "higher" }),
    );
    expect(rule("characteristic_reach", wrongWay).length).toBeGreaterThan(0);
    const atValue = withExplanation(decrease, (e) => flip(e, { betterAt: r.value }));
    expect(rule("characteristic_reach", atValue).length).toBeGreaterThan(0);
    // 30 login days sit in the best bin there is: no reason may quote them.
    const best = { ...decrease, record: { ...decrease.record, features: { ...decrease.record.features } } };
    const feature = r.featureId!;
    const good = withExplanation(best, (e) => flip(e, { value: goodFeatures[feature] }));
    good.record = {
      ...good.record,
      features: { ...good.record.features, [feature]: goodFeatures[feature]! },
    };
    expect(rule("characteristic_reach", good).some((v) => /best bin|reachable bin/.test(v.message))).toBe(
      true,
    );
  });

  it("rule_direction: a decrease's rule reason that says held, one naming a rule that did not fire", () => {
    const i = decrease.record.explanation!.reasons.findIndex((r) => r.kind === "rule");
    const held = withExplanation(decrease, (e) => ({
      ...e,
      reasons: e.reasons.map((r, k) => (k === i ? { ...r, params: { ...r.params, phrase: "held" } } : r)),
    }));
    const messages = rule("rule_direction", held).map((v) => v.message);
    expect(messages.some((m) => /reads "held" on a decrease/.test(m))).toBe(true);
    const phantom = withExplanation(decrease, (e) => ({
      ...e,
      reasons: e.reasons.map((r, k) => (k === i ? { ...r, ruleId: "no_such_rule" } : r)),
    }));
    expect(rule("rule_direction", phantom).some((v) => /did not fire/.test(v.message))).toBe(true);
  });

  it("unchanged_as_change: a holding rule phrased as lowering the limit", () => {
    const lowered = withExplanation(unchanged, (e) => ({
      ...e,
      reasons: e.reasons.map((r) => ({ ...r, params: { ...r.params, phrase: "lowered" } })),
    }));
    const messages = rule("unchanged_as_change", lowered).map((v) => v.message);
    expect(messages.some((m) => /reads "lowered"/.test(m))).toBe(true);
    expect(messages.some((m) => /\(en\): phrased as a change/.test(m))).toBe(true);
  });

  it("missing_as_misconduct: a null figure told as high debt, a missing-data reason with a conduct code", () => {
    const asDebt = withExplanation(thin, (e) => ({
      ...e,
      reasons: [
        ...e.reasons,
        {
          code: "R_DEBT_TO_INCOME_HIGH",
          kind: "characteristic",
          params: { feature: "debtToIncome", value: null },
          featureId: "debtToIncome",
          value: null,
          pointsBelow: 20,
        },
      ],
    }));
    expect(rule("missing_as_misconduct", asDebt).length).toBeGreaterThan(0);
    const conduct = withExplanation(thin, (e) => ({
      ...e,
      reasons: e.reasons.map((r) => (r.kind === "missing_data" ? { ...r, code: "R_LATE_PAYMENTS" } : r)),
    }));
    expect(rule("missing_as_misconduct", conduct).length).toBeGreaterThan(0);
  });

  it("sentence_form: a code, '1 days', a lower-case start, a second money format", () => {
    const bad = (text: string, lang: Lang = "en") =>
      rule(
        "sentence_form",
        withRendered(decrease, lang, (r) => ({
          ...r,
          reasons: r.reasons.map((x, k) => (k === 0 ? { ...x, message: text } : x)),
        })),
      );
    expect(bad("P_OVER_BORROWING_AMOUNT lowered it")).toHaveLength(1);
    expect(bad("A payment was 1 days overdue")).toHaveLength(1);
    expect(bad("You had 1 overdue instalments")).toHaveLength(1);
    expect(bad("your limit fell")).toHaveLength(1);
    expect(bad("Your limit fell by ¥9,800.00")).toHaveLength(1);
    expect(bad("Your limit fell by 9,800.00")).toHaveLength(1);
    expect(bad("额度下调CNY 9,800.00", "zh-CN")).toHaveLength(1);
    expect(bad("Your limit fell by CNY 9,800.00 after 2 days")).toEqual([]);
    expect(bad("额度下调¥9,800.00", "zh-CN")).toEqual([]);
  });

  it("plan_coherence: an unverified plan with a date, a verified one promising two limits", () => {
    const dated = withRendered(thin, "en", (r) => ({
      ...r,
      plan: { ...r.plan!, verified: false, eta: "2026-07-01", missing: "" },
    }));
    const messages = rule("plan_coherence", dated).map((v) => v.message);
    expect(messages).toContain("(en) unverified plan with an eta");
    expect(messages).toContain("(en) unverified plan without why");
    const step = {
      order: 1,
      action: "repay",
      message: "Repay",
      days: 0,
      moneyMinor: 100,
      projectedLimitMinor: 1,
    };
    const twoLimits = withRendered(decrease, "en", (r) => ({
      ...r,
      plan: {
        ...r.plan!,
        verified: true,
        status: "restore",
        eta: "2026-07-01",
        targetLimitMinor: 1,
        steps: [step],
      },
    }));
    expect(rule("plan_coherence", twoLimits).some((v) => /last step promises/.test(v.message))).toBe(true);
  });

  it("plan_repay_overdue: an overdue borrower's plan that does not start by repaying, and one that does", () => {
    const overdue = {
      ...decrease,
      record: { ...decrease.record, line: { status: "active" as const, dpd: 5 } },
    };
    expect(rule("plan_repay_overdue", overdue)).toHaveLength(1);
    const led =
      (text: string) =>
      (r: AuditedRendering): AuditedRendering => ({
        ...r,
        plan: {
          ...r.plan!,
          verified: false,
          actions: [{ kind: "repay_overdue", message: text, moneyMinor: 12_345 }],
        },
      });
    const repaid = withRendered(
      withRendered(overdue, "en", led("Repay the CNY 123.45 overdue now")),
      "zh-CN",
      led("立即归还逾期款项¥123.45"),
    );
    expect(rule("plan_repay_overdue", repaid)).toEqual([]);
    // Read now (a customer's latest decision): the amount must be the line's.
    expect(rule("plan_repay_overdue", { ...repaid, ctx: { ...repaid.ctx, overdueMinor: 99 } })).toHaveLength(
      1,
    );
    // Read later (any other decision): the amount must be the one the decision recorded.
    const recorded = (overdueMinor: number) => ({
      ...repaid,
      record: { ...repaid.record, line: { ...repaid.record.line, overdueMinor } },
    });
    expect(rule("plan_repay_overdue", recorded(12_345))).toEqual([]);
    expect(rule("plan_repay_overdue", recorded(99))).toHaveLength(1);
    // Nothing recorded as overdue: nothing to lead with, whatever the DPD.
    expect(rule("plan_repay_overdue", { ...overdue, record: recorded(0).record })).toEqual([]);
  });

  it("a decision's recorded arrears lead its plan as served later, and only when it recorded some", () => {
    const record = (overdueMinor: number | undefined, status: "active" | "frozen", freeze = false) => ({
      line: { status, dpd: 12, ...(overdueMinor === undefined ? {} : { overdueMinor }) },
      freeze,
      newLimitMinor: 1_000_000,
      score: { score: 612 },
    });
    expect(recordedOverdueStanding(record(undefined, "frozen"))).toBeNull();
    expect(recordedOverdueStanding(record(0, "frozen"))).toBeNull();
    expect(recordedOverdueStanding(record(12_345, "frozen"))).toEqual({
      overdueMinor: 12_345,
      frozen: true,
      frozenForOverdue: true,
      dueInDays: 0,
      limitMinor: 1_000_000,
      score: 612,
    });
    // A freeze the decision itself made is not lifted by repaying.
    expect(recordedOverdueStanding(record(12_345, "active", true))).toMatchObject({
      frozen: true,
      frozenForOverdue: false,
    });
  });

  it("attribution_sum: parts that do not add up to the change", () => {
    const off = withExplanation(decrease, (e) => ({
      ...e,
      attribution: e.attribution.map((a, k) => (k === 0 ? { ...a, amountMinor: a.amountMinor + 1 } : a)),
    }));
    expect(rule("attribution_sum", off)).toHaveLength(1);
  });

  it("max_decrease: a fall past the guarantee from the window's highest limit, unless a hard rule names itself", () => {
    const ppm = decrease.ctx.policy.guardrails.maxDecreasePpm;
    const fall = (previous: number, next: number, highest: number, hard = false): Subject => ({
      record: {
        ...decrease.record,
        previousLimitMinor: previous,
        newLimitMinor: next,
        outcome: {
          ...decrease.record.outcome,
          firedRules: hard
            ? [
                {
                  ruleId: "capacity",
                  code: "capacity_ceiling",
                  kind: "capacity",
                  effectMinor: -1,
                  params: {},
                },
              ]
            : [],
        },
      },
      ctx: { ...decrease.ctx, windowHighestMinor: highest },
    });
    const highest = 5_000_000;
    const floor = highest - (highest * ppm) / 1_000_000;
    expect(rule("max_decrease", fall(highest, floor, highest))).toEqual([]);
    expect(rule("max_decrease", fall(highest, floor - 100, highest))).toHaveLength(1);
    // Within the guarantee from today's limit, past it from the window's highest: decisions do not compound.
    expect(rule("max_decrease", fall(4_000_000, floor - 100, highest))).toHaveLength(1);
    expect(rule("max_decrease", fall(highest, floor - 100, highest, true))).toEqual([]);
    const earlier = [
      { businessDate: "2026-06-01", previousLimitMinor: 5_000_000, newLimitMinor: 4_000_000 },
      { businessDate: "2026-04-01", previousLimitMinor: 9_000_000, newLimitMinor: 5_000_000 },
    ];
    expect(windowHighestMinor("2026-06-15", 4_000_000, earlier, 30)).toBe(5_000_000);
    expect(windowHighestMinor("2026-06-15", 4_000_000, earlier, 90)).toBe(9_000_000);
    expect(windowHighestMinor("2026-06-15", 4_000_000, [], 30)).toBe(4_000_000);
  });

  it("reevaluation_lowered: a borrower's own request that lowered the limit with no hard rule", () => {
    const asked = {
      ...decrease,
      record: {
        ...decrease.record,
        trigger: "reevaluation.requested",
        triggerDetail: { actor: "borrower" },
        outcome: { ...decrease.record.outcome, firedRules: [] },
      },
    };
    expect(rule("reevaluation_lowered", asked)).toHaveLength(1);
    const operator = { ...asked, record: { ...asked.record, triggerDetail: { actor: "operator" } } };
    expect(rule("reevaluation_lowered", operator)).toEqual([]);
  });
});

// --- simulated portfolios -----------------------------------------------------------------------------------

async function runAudit(db: string): Promise<{ code: number; report: ExplanationAuditReport }> {
  const entry = commands.find((c) => c.name === "audit explanations")!;
  const command = await entry.load();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  stdout.on("data", (chunk) => {
    out += String(chunk);
  });
  const code = await command({ argv: ["--db", db, "--json"], stdout, stderr });
  return { code, report: JSON.parse(out) as ExplanationAuditReport };
}

const scenarios: readonly ScenarioName[] = ["steady", "tightening", "recession"];

describe.each(scenarios)("a simulated %s portfolio", (scenario) => {
  let dir: string;
  let db: string;
  let decisions: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `headroom-audit-${scenario}-`));
    db = join(dir, "sim.db");
    const store = await openStore(db, { nowMs: Date.UTC(2026, 0, 1) });
    try {
      const result = await runSimulation(
        { customers: 150, months: 6, seed: 7, scenario, startDate: "2026-01-01" },
        { store },
      );
      decisions = result.summary.decisions;
    } finally {
      await store.close();
    }
  }, 60_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("audits every decision: no violations", async () => {
    const { code, report } = await runAudit(db);
    expect(report.decisions).toBe(decisions);
    expect(report.violations).toEqual([]);
    expect(report.violationCount).toBe(0);
    expect(code).toBe(0);
  }, 30_000);

  it("serves an older decision made while overdue with its plan led by the amount it recorded", async () => {
    await withServer(db, async ({ app, key, store }) => {
      const rows = await store.db.read((tx) =>
        tx.all<StoredRecordRow>(
          `SELECT ${recordSelect} FROM decisions WHERE seq NOT IN (SELECT MAX(seq) FROM decisions GROUP BY customer_id) ORDER BY seq`,
        ),
      );
      const overdue = rows
        .map(decodeRow)
        .filter((r) => (r.line.overdueMinor ?? 0) > 0)
        .slice(0, 10);
      // Not vacuous: each scenario has borrowers who fell overdue before their latest decision.
      expect(overdue.length).toBeGreaterThan(0);
      for (const record of overdue) {
        const served = await app.inject({
          url: `/v1/decisions/${record.decisionId}?lang=en`,
          headers: { authorization: `Bearer ${key}` },
        });
        expect(served.statusCode).toBe(200);
        const plan = served.json().rendered.plan;
        const first = plan.verified ? plan.steps[0] : plan.actions[0];
        expect(first[plan.verified ? "action" : "kind"]).toBe("repay_overdue");
        expect(first.moneyMinor).toBe(record.line.overdueMinor);
        const led = [...plan.steps, ...(plan.actions ?? [])].filter(
          (x: { action?: string; kind?: string }) => (x.action ?? x.kind) === "repay_overdue",
        );
        expect(led).toHaveLength(1);
      }
    });
  }, 30_000);

  it("checks the text the API serves: the explanation route's answer is the audited rendering", async () => {
    await withServer(db, async ({ app, key, store, clock }) => {
      const { registry } = await openDecisionEngine(store.db, { clock: systemClock, seed: false });
      const sources = {
        decisions: createDecisionStore(store.db, () => 0, "Asia/Shanghai"),
        registry,
        store,
        lending: new LendingService({ store: createLendingStore(store.db, () => clock.nowMs()), clock }),
      };
      const rows = await store.db.read((tx) =>
        tx.all<StoredRecordRow>(
          `SELECT ${recordSelect} FROM decisions WHERE seq IN (SELECT MAX(seq) FROM decisions GROUP BY customer_id) ORDER BY seq LIMIT 25`,
        ),
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const record = decodeRow(row);
        const audited = renderedAsServed(
          record.explanation as Explanation | null,
          await standingOf(sources, record),
          record.businessDate,
        );
        for (const lang of ["en", "zh-CN"] as const) {
          const served = await app.inject({
            url: `/v1/customers/${record.customerId}/explanation?lang=${lang}`,
            headers: { authorization: `Bearer ${key}` },
          });
          expect(served.statusCode).toBe(200);
          const body = served.json();
          expect(body.decisionId).toBe(record.decisionId);
          expect(body.reasons.map((r: { message: string }) => r.message)).toEqual(
            audited[lang].reasons.map((r) => r.message),
          );
          expect(body.plan).toEqual(JSON.parse(JSON.stringify(audited[lang].plan)));
        }
      }
    });
  }, 30_000);
});
