// Macro scenarios: `steady` (nothing changes), `tightening` (liquidity tightens at the shock month: the
// lender cuts risk appetite and liquidity and announces it, and a `macro.changed` review re-decides every
// line), `recession` (from the shock month, the latent default propensity of every borrower rises).

import type { ScenarioName } from "./types.js";

/** How much the daily hazard of financial distress rises in a recession. */
export const recessionHazardMultiplier = 3;
/** Latent risk added to everyone in a recession (moves bureau debt and habits, not only defaults). */
export const recessionRiskShift = 0.4;

export interface ScenarioPlan {
  readonly name: ScenarioName;
  /** Month index (0-based from the start) of the shock, or null for none. */
  readonly shockMonth: number | null;
}

export function scenarioPlan(name: ScenarioName, months: number, shockMonth?: number): ScenarioPlan {
  if (name === "steady") return { name, shockMonth: null };
  const month = shockMonth ?? Math.max(1, Math.floor(months / 2));
  return { name, shockMonth: month };
}

export function hazardMultiplier(plan: ScenarioPlan, monthIndex: number): number {
  return plan.name === "recession" && plan.shockMonth !== null && monthIndex >= plan.shockMonth
    ? recessionHazardMultiplier
    : 1;
}

export function riskShift(plan: ScenarioPlan, monthIndex: number): number {
  return plan.name === "recession" && plan.shockMonth !== null && monthIndex >= plan.shockMonth
    ? recessionRiskShift
    : 0;
}

/**
 * The macro document published when liquidity tightens: the shipped macro with a lower risk appetite and
 * liquidity (risky bands cut harder), a new version and an announcement in both languages.
 */
export function tighteningMacro(base: unknown, effectiveFrom: string): unknown {
  const doc = structuredClone(base) as Record<string, unknown>;
  const version = typeof doc.version === "number" ? doc.version + 1 : 2;
  return {
    ...doc,
    version,
    effectiveFrom,
    announcement: {
      title: { "zh-CN": "资金环境收紧，额度策略调整", en: "Funding conditions tighten: limits adjusted" },
      body: {
        "zh-CN":
          "受资金流动性收紧影响，平台下调了风险偏好，部分用户的额度将相应下调。按时还款的用户可在后续评估中恢复额度。",
        en: "Because funding liquidity has tightened, the platform has lowered its risk appetite and some limits are reduced. Borrowers who keep repaying on time can regain their limit at later reviews.",
      },
    },
    riskAppetite: { default: 0.85, bands: { E: 0.6, D: 0.7, C: 0.8 } },
    liquidity: { default: 0.85 },
  };
}
