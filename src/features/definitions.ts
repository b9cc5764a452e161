// The feature catalogue (DESIGN.md "Feature ids"): ids, windows, units, descriptions in zh-CN and en, and
// whether — and how — the borrower can move each one. The recovery planner offers only actionable features.

/** Every feature id, in the catalogue's order (the order of DESIGN.md's table). */
export const featureIds = [
  "loginDays30d",
  "paymentCount30d",
  "paymentAmount90dMinor",
  "productKinds180d",
  "limitQueries30d",
  "creditApplications90d",
  "verificationLevel",
  "daysSinceLastActivity",
  "drawdownCount30d",
  "drawdownCount90d",
  "drawdownAmount90dToLimit",
  "cycleCount90d",
  "utilisation",
  "avgUtilisation90d",
  "onTimeRatio12m",
  "maxDpd12m",
  "overdueCount12m",
  "daysSinceLastOverdue",
  "debtToIncome",
  "bureauDelinquencies24m",
  "bureauInquiries6m",
  "monthsOnBook",
] as const;

export type FeatureId = (typeof featureIds)[number];

/** A customer's features as of one business date; `null` means "no data" (its own bin in a scorecard). */
export type FeatureVector = Readonly<Record<FeatureId, number | null>>;

export type FeatureUnit = "days" | "count" | "minor" | "ratio" | "level" | "months";

/**
 * How a borrower can move an actionable feature:
 * - `time_passing`: old events leave the window (or a counter grows) if nothing new happens;
 * - `repay`: repaying money changes it (the planner prices it in minor units);
 * - `action`: a concrete act in the app (log in, pay, verify, …).
 */
export type FeatureLever = "time_passing" | "repay" | "action";

interface FeatureDefinitionBase {
  readonly id: FeatureId;
  /** Bumped whenever the computation changes; recorded with each decision through the model. */
  readonly version: number;
  /** Length of the window in days (D−N+1 … D), or null for point-in-time and lifetime features. */
  readonly windowDays: number | null;
  readonly unit: FeatureUnit;
  readonly description: { readonly "zh-CN": string; readonly en: string };
  /** Why the feature is (or is not) in the borrower's hands. */
  readonly rationale: string;
}

export interface ActionableFeatureDefinition extends FeatureDefinitionBase {
  readonly actionable: true;
  /** Which direction helps the borrower's standing. */
  readonly better: "higher" | "lower";
  /** The ways it can be changed, most direct first. */
  readonly levers: readonly FeatureLever[];
  /** What the borrower does, in zh-CN and en (the planner's step text starts from this). */
  readonly howTo: { readonly "zh-CN": string; readonly en: string };
}

export interface FixedFeatureDefinition extends FeatureDefinitionBase {
  readonly actionable: false;
}

export type FeatureDefinition = ActionableFeatureDefinition | FixedFeatureDefinition;

const v1 = 1;

/** The catalogue, one entry per id. The exact computations are documented in compute.ts. */
export const featureDefinitions: Readonly<Record<FeatureId, FeatureDefinition>> = Object.freeze({
  loginDays30d: {
    id: "loginDays30d",
    version: v1,
    windowDays: 30,
    unit: "days",
    description: { "zh-CN": "近30天登录天数", en: "Days with a login in the last 30 days" },
    actionable: true,
    better: "higher",
    levers: ["action"],
    howTo: { "zh-CN": "经常登录应用", en: "Open the app regularly" },
    rationale: "Logging in is entirely the borrower's choice.",
  },
  paymentCount30d: {
    id: "paymentCount30d",
    version: v1,
    windowDays: 30,
    unit: "count",
    description: { "zh-CN": "近30天支付笔数", en: "Payments made in the last 30 days" },
    actionable: true,
    better: "higher",
    levers: ["action"],
    howTo: { "zh-CN": "用本应用完成日常支付", en: "Use the app for everyday payments" },
    rationale: "Everyday payments through the app are the borrower's choice.",
  },
  paymentAmount90dMinor: {
    id: "paymentAmount90dMinor",
    version: v1,
    windowDays: 90,
    unit: "minor",
    description: { "zh-CN": "近90天支付金额", en: "Amount paid in the last 90 days" },
    actionable: true,
    better: "higher",
    levers: ["action"],
    howTo: { "zh-CN": "用本应用完成日常支付", en: "Use the app for everyday payments" },
    rationale: "Moving existing spending to the app raises it without new spending.",
  },
  productKinds180d: {
    id: "productKinds180d",
    version: v1,
    windowDays: 180,
    unit: "count",
    description: {
      "zh-CN": "近180天购买的金融产品种类数",
      en: "Kinds of financial products bought in the last 180 days",
    },
    actionable: true,
    better: "higher",
    levers: ["action"],
    howTo: { "zh-CN": "使用平台的存款、理财等产品", en: "Use the platform's deposit or savings products" },
    rationale: "Holding a deposit or fund is the borrower's choice (a deposit of any amount counts).",
  },
  limitQueries30d: {
    id: "limitQueries30d",
    version: v1,
    windowDays: 30,
    unit: "count",
    description: {
      "zh-CN": "近30天额度查询与重新评估申请次数",
      en: "Limit checks and re-evaluation requests in the last 30 days",
    },
    actionable: true,
    better: "lower",
    levers: ["time_passing", "action"],
    howTo: {
      "zh-CN": "减少查询额度，旧的查询30天后不再计入",
      en: "Check the limit less often; each check stops counting after 30 days",
    },
    rationale: "Queries are the borrower's own acts and age out of the window.",
  },
  creditApplications90d: {
    id: "creditApplications90d",
    version: v1,
    windowDays: 90,
    unit: "count",
    description: { "zh-CN": "近90天信贷申请次数", en: "Credit applications in the last 90 days" },
    actionable: true,
    better: "lower",
    levers: ["time_passing", "action"],
    howTo: {
      "zh-CN": "暂停申请新的贷款，旧的申请90天后不再计入",
      en: "Pause new credit applications; each stops counting after 90 days",
    },
    rationale: "Applications are the borrower's own acts and age out of the window.",
  },
  verificationLevel: {
    id: "verificationLevel",
    version: v1,
    windowDays: null,
    unit: "level",
    description: {
      "zh-CN": "已完成的认证种类数（0–6）",
      en: "Kinds of verification completed (0–6)",
    },
    actionable: true,
    better: "higher",
    levers: ["action"],
    howTo: {
      "zh-CN": "完成身份证、银行卡、人脸、收入、地址或工作单位认证",
      en: "Complete ID card, bank card, face, income, address or employer verification",
    },
    rationale: "Each verification is a step the borrower can take in the app.",
  },
  daysSinceLastActivity: {
    id: "daysSinceLastActivity",
    version: v1,
    windowDays: null,
    unit: "days",
    description: {
      "zh-CN": "距上次登录、支付或购买的天数",
      en: "Days since the last login, payment or purchase",
    },
    actionable: true,
    better: "lower",
    levers: ["action"],
    howTo: { "zh-CN": "登录或使用应用", en: "Log in or use the app" },
    rationale: "Any login resets it to zero.",
  },
  drawdownCount30d: {
    id: "drawdownCount30d",
    version: v1,
    windowDays: 30,
    unit: "count",
    description: { "zh-CN": "近30天借款笔数", en: "Drawdowns in the last 30 days" },
    actionable: true,
    better: "lower",
    levers: ["time_passing"],
    howTo: {
      "zh-CN": "减少借款频率，旧的借款30天后不再计入",
      en: "Draw less often; each drawdown stops counting after 30 days",
    },
    rationale: "Borrowing often reads as over-indebtedness; the borrower controls how often they draw.",
  },
  drawdownCount90d: {
    id: "drawdownCount90d",
    version: v1,
    windowDays: 90,
    unit: "count",
    description: { "zh-CN": "近90天借款笔数", en: "Drawdowns in the last 90 days" },
    actionable: true,
    better: "lower",
    levers: ["time_passing"],
    howTo: {
      "zh-CN": "减少借款频率，旧的借款90天后不再计入",
      en: "Draw less often; each drawdown stops counting after 90 days",
    },
    rationale: "Borrowing often reads as over-indebtedness; the borrower controls how often they draw.",
  },
  drawdownAmount90dToLimit: {
    id: "drawdownAmount90dToLimit",
    version: v1,
    windowDays: 90,
    unit: "ratio",
    description: {
      "zh-CN": "近90天借款总额与当前额度之比",
      en: "Amount drawn in the last 90 days relative to the limit",
    },
    actionable: true,
    better: "lower",
    levers: ["time_passing"],
    howTo: {
      "zh-CN": "减少借款金额，旧的借款90天后不再计入",
      en: "Draw smaller amounts; each drawdown stops counting after 90 days",
    },
    rationale: "Borrowing much reads as over-indebtedness; the borrower controls how much they draw.",
  },
  cycleCount90d: {
    id: "cycleCount90d",
    version: v1,
    windowDays: 90,
    unit: "count",
    description: {
      "zh-CN": "近90天借款后7天内还清的次数",
      en: "Drawdowns in the last 90 days repaid in full within 7 days of being drawn",
    },
    actionable: true,
    better: "lower",
    levers: ["time_passing"],
    howTo: {
      "zh-CN": "避免短期内反复借还，旧记录90天后不再计入",
      en: "Avoid drawing and repaying within days; each cycle stops counting after 90 days",
    },
    rationale: "Rapid cycling is the borrower's own pattern and ages out of the window.",
  },
  utilisation: {
    id: "utilisation",
    version: v1,
    windowDays: null,
    unit: "ratio",
    description: { "zh-CN": "当前已用额度占比", en: "Outstanding balance relative to the limit today" },
    actionable: true,
    better: "lower",
    levers: ["repay"],
    howTo: { "zh-CN": "提前还款（无手续费）", en: "Repay early (free of charge)" },
    rationale: "Early repayment is free and lowers it at once.",
  },
  avgUtilisation90d: {
    id: "avgUtilisation90d",
    version: v1,
    windowDays: 90,
    unit: "ratio",
    description: {
      "zh-CN": "近90天日终已用额度占比的平均值",
      en: "Average end-of-day utilisation over the last 90 days",
    },
    actionable: true,
    better: "lower",
    levers: ["repay", "time_passing"],
    howTo: {
      "zh-CN": "提前还款并保持较低的欠款",
      en: "Repay early and keep the balance low for a while",
    },
    rationale: "A lower balance lowers each new day's value; high days age out.",
  },
  onTimeRatio12m: {
    id: "onTimeRatio12m",
    version: v1,
    windowDays: 365,
    unit: "ratio",
    description: {
      "zh-CN": "近12个月按时还款的期数占比",
      en: "Share of instalments paid by their due date in the last 12 months",
    },
    actionable: true,
    better: "higher",
    levers: ["action", "time_passing"],
    howTo: {
      "zh-CN": "按时还款（可开通自动扣款），逾期记录12个月后不再计入",
      en: "Pay each instalment on time (auto-debit helps); misses stop counting after 12 months",
    },
    rationale: "Future instalments paid on time raise it; misses leave the window.",
  },
  maxDpd12m: {
    id: "maxDpd12m",
    version: v1,
    windowDays: 365,
    unit: "days",
    description: {
      "zh-CN": "近12个月最长逾期天数",
      en: "Longest days past due in the last 12 months",
    },
    actionable: true,
    better: "lower",
    levers: ["repay", "time_passing"],
    howTo: {
      "zh-CN": "立即还清逾期款项，记录12个月后不再计入",
      en: "Pay the overdue amount now; the record stops counting after 12 months",
    },
    rationale: "Repaying stops an open delinquency from growing; past ones age out.",
  },
  overdueCount12m: {
    id: "overdueCount12m",
    version: v1,
    windowDays: 365,
    unit: "count",
    description: { "zh-CN": "近12个月逾期期数", en: "Instalments that went overdue in the last 12 months" },
    actionable: true,
    better: "lower",
    levers: ["time_passing"],
    howTo: {
      "zh-CN": "按时还款，逾期记录12个月后不再计入",
      en: "Pay on time; past overdue instalments stop counting after 12 months",
    },
    rationale: "Only time removes past misses; paying on time stops new ones.",
  },
  daysSinceLastOverdue: {
    id: "daysSinceLastOverdue",
    version: v1,
    windowDays: null,
    unit: "days",
    description: { "zh-CN": "距上次逾期的天数", en: "Days since the borrower was last overdue" },
    actionable: true,
    better: "higher",
    levers: ["repay", "time_passing"],
    howTo: {
      "zh-CN": "还清逾期款项并保持按时还款",
      en: "Clear any overdue amount and keep paying on time",
    },
    rationale: "It grows by itself once nothing is overdue.",
  },
  debtToIncome: {
    id: "debtToIncome",
    version: v1,
    windowDays: null,
    unit: "ratio",
    description: {
      "zh-CN": "征信报告中的外部负债与月收入之比",
      en: "External debt relative to monthly income, from the latest credit-bureau report",
    },
    actionable: true,
    better: "lower",
    levers: ["repay"],
    howTo: {
      "zh-CN": "偿还其他机构的欠款，下次征信报告更新后生效",
      en: "Repay debts held elsewhere; it takes effect with the next bureau report",
    },
    rationale:
      "Repaying external debt lowers it, but only a new bureau report shows it, so plans can only point to it.",
  },
  bureauDelinquencies24m: {
    id: "bureauDelinquencies24m",
    version: v1,
    windowDays: null,
    unit: "count",
    description: {
      "zh-CN": "征信报告中近24个月的逾期次数",
      en: "Delinquencies in the last 24 months, from the latest credit-bureau report",
    },
    actionable: false,
    rationale: "Recorded by the bureau with its own window; nothing the borrower does here changes it.",
  },
  bureauInquiries6m: {
    id: "bureauInquiries6m",
    version: v1,
    windowDays: null,
    unit: "count",
    description: {
      "zh-CN": "征信报告中近6个月的查询次数",
      en: "Credit inquiries in the last 6 months, from the latest credit-bureau report",
    },
    actionable: false,
    rationale:
      "Counted by the bureau across all lenders; the engine cannot project the next report's figure.",
  },
  monthsOnBook: {
    id: "monthsOnBook",
    version: v1,
    windowDays: null,
    unit: "months",
    description: { "zh-CN": "开户月数", en: "Whole months since the first credit line opened" },
    actionable: false,
    rationale: "Tenure: only the calendar moves it, and plans never offer tenure as a step.",
  },
} satisfies Record<FeatureId, FeatureDefinition>);

export function isFeatureId(value: string): value is FeatureId {
  return (featureIds as readonly string[]).includes(value);
}
