// `headroom explain` text output: an unverified plan prints why it has no steps and what the borrower can do
// (the amount overdue first), never "ETA null"; a verified one prints its ETA.

import { describe, expect, it } from "vitest";
import type { RenderedExplanation } from "../explain/index.js";
import { renderText } from "./explain-command.js";

const unverified: RenderedExplanation = {
  decisionId: "dec-1",
  lang: "en",
  previousLimitMinor: 5_000_000,
  newLimitMinor: 5_000_000,
  headline: "Your limit stays at CNY 50,000.00; the reasons listed are what hold it there",
  reasons: [],
  attribution: [],
  plan: {
    status: "partial",
    summary: "Your line is frozen while CNY 12,556.19 is overdue: repaying it comes first",
    targetLimitMinor: null,
    reachableLimitMinor: 5_000_000,
    steps: [],
    eta: null,
    earliestReevaluation: "2026-03-11",
    verified: false,
    actions: [
      {
        kind: "repay_overdue",
        message: "Repay the CNY 12,556.19 overdue now: once it is paid your line is no longer frozen",
        moneyMinor: 1_255_619,
      },
      { kind: "supply_bureau_report", message: "Authorise a credit bureau check" },
    ],
    missing: "We cannot confirm a way to raise your limit until we have the missing information",
    missingCode: "missing_data",
  },
};

describe("explain text", () => {
  it("prints an unverified plan's missing sentence and actions, not a null ETA", () => {
    const text = renderText(unverified);
    expect(text).not.toContain("null");
    expect(text).toContain(unverified.headline);
    expect(text).toContain(unverified.plan.missing);
    const lines = text.split("\n");
    const actions = lines.findIndex((l) => l.trim() === "what you can do:");
    expect(lines[actions + 1]).toBe(
      "    - Repay the CNY 12,556.19 overdue now: once it is paid your line is no longer frozen (money 12,556.19)",
    );
    expect(lines[actions + 2]).toBe("    - Authorise a credit bureau check");
    expect(text.endsWith("earliest re-evaluation: 2026-03-11")).toBe(true);
  });

  it("prints a verified plan's ETA", () => {
    const verified: RenderedExplanation = {
      ...unverified,
      plan: { ...unverified.plan, verified: true, targetLimitMinor: 5_000_000, eta: "2026-04-10" },
    };
    expect(renderText(verified)).toContain("earliest re-evaluation: 2026-03-11; ETA 2026-04-10");
  });
});
