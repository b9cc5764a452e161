// The message catalogue: stable reason codes per feature and per policy rule, plan actions, attribution
// labels and plan summaries, in zh-CN and en. Templates are data: "{name:kind}" placeholders are filled
// from a reason's params at read time (kinds: count, money, pct, days, date, text, feature).

import { formatMinor } from "../money/index.js";
import type {
  AttributionGroup,
  CommitmentStatus,
  Lang,
  MessageParams,
  ParamValue,
  PlanAction,
  PlanCommitment,
  PlanConditionCode,
  PlanStatus,
} from "./types.js";

export interface LocalizedTemplate {
  readonly "zh-CN": string;
  readonly en: string;
}

export interface CharacteristicEntry {
  readonly code: string;
  /** The feature's name in a sentence ("your {feature:…}"). */
  readonly topic: LocalizedTemplate;
  /** With the borrower's own value as {value:kind}. */
  readonly message: LocalizedTemplate;
}

/**
 * One code per feature id of DESIGN.md. A code names the feature, not the bin: the message carries the
 * figure, so the same code reads right whichever side of the best bin the borrower is on.
 */
export const characteristicCatalogue: Readonly<Record<string, CharacteristicEntry>> = {
  loginDays30d: {
    code: "R_LOW_APP_ACTIVITY",
    topic: { "zh-CN": "近30天登录天数", en: "days with app use in the last 30 days" },
    message: {
      "zh-CN": "您近30天有{value:count}天登录使用App",
      en: "you used the app on {value:count} days in the last 30 days",
    },
  },
  paymentCount30d: {
    code: "R_FEW_PAYMENTS",
    topic: { "zh-CN": "近30天支付笔数", en: "payments in the last 30 days" },
    message: {
      "zh-CN": "您近30天通过本平台支付{value:count}笔",
      en: "you made {value:count} payments with the app in the last 30 days",
    },
  },
  paymentAmount90dMinor: {
    code: "R_LOW_PAYMENT_VOLUME",
    topic: { "zh-CN": "近90天支付金额", en: "payment volume in the last 90 days" },
    message: {
      "zh-CN": "您近90天通过本平台支付{value:money}",
      en: "you paid {value:money} with the app in the last 90 days",
    },
  },
  productKinds180d: {
    code: "R_FEW_RELATED_PRODUCTS",
    topic: { "zh-CN": "近180天使用的其他金融产品", en: "other financial products used in the last 180 days" },
    message: {
      "zh-CN": "您近180天使用了{value:count}类本平台其他金融产品",
      en: "you used {value:count} kinds of our other financial products in the last 180 days",
    },
  },
  limitQueries30d: {
    code: "R_LIMIT_QUERIES",
    topic: { "zh-CN": "近30天额度查询次数", en: "limit checks in the last 30 days" },
    message: {
      "zh-CN": "您近30天查询额度{value:count}次",
      en: "you checked your limit {value:count} times in the last 30 days",
    },
  },
  creditApplications90d: {
    code: "R_CREDIT_APPLICATIONS",
    topic: { "zh-CN": "近90天贷款申请次数", en: "credit applications in the last 90 days" },
    message: {
      "zh-CN": "您近90天申请贷款{value:count}次",
      en: "you applied for credit {value:count} times in the last 90 days",
    },
  },
  verificationLevel: {
    code: "R_VERIFICATION_INCOMPLETE",
    topic: { "zh-CN": "已完成的认证", en: "completed verifications" },
    message: {
      "zh-CN": "您已完成6项认证中的{value:count}项",
      en: "you have completed {value:count} of 6 verifications",
    },
  },
  daysSinceLastActivity: {
    code: "R_INACTIVE",
    topic: { "zh-CN": "最近一次使用距今天数", en: "days since your last activity" },
    message: {
      "zh-CN": "您已有{value:count}天未使用本平台",
      en: "your last activity with us was {value:count} days ago",
    },
  },
  drawdownCount30d: {
    code: "R_DRAWDOWN_FREQUENCY",
    topic: { "zh-CN": "近30天借款次数", en: "drawdowns in the last 30 days" },
    message: {
      "zh-CN": "您近30天借款{value:count}次",
      en: "you drew {value:count} times in the last 30 days",
    },
  },
  drawdownCount90d: {
    code: "R_DRAWDOWN_FREQUENCY_90D",
    topic: { "zh-CN": "近90天借款次数", en: "drawdowns in the last 90 days" },
    message: {
      "zh-CN": "您近90天借款{value:count}次",
      en: "you drew {value:count} times in the last 90 days",
    },
  },
  drawdownAmount90dToLimit: {
    code: "R_DRAWDOWN_VOLUME",
    topic: { "zh-CN": "近90天借款总额占额度比例", en: "amount drawn in 90 days relative to your limit" },
    message: {
      "zh-CN": "您近90天借款总额达到额度的{value:pct}",
      en: "in the last 90 days you drew {value:pct} of your limit",
    },
  },
  cycleCount90d: {
    code: "R_BORROW_REPAY_CYCLING",
    topic: { "zh-CN": "近90天借了又还的次数", en: "borrow-and-repay cycles in the last 90 days" },
    message: {
      "zh-CN": "您近90天有{value:count}笔借款在7天内借了又还",
      en: "{value:count} of your drawdowns in the last 90 days were repaid within 7 days",
    },
  },
  utilisation: {
    code: "R_UTILISATION_HIGH",
    topic: { "zh-CN": "额度使用率", en: "limit utilisation" },
    message: { "zh-CN": "您当前额度使用率为{value:pct}", en: "you are using {value:pct} of your limit" },
  },
  avgUtilisation90d: {
    code: "R_AVG_UTILISATION_HIGH",
    topic: { "zh-CN": "近90天平均额度使用率", en: "average utilisation over 90 days" },
    message: {
      "zh-CN": "您近90天平均额度使用率为{value:pct}",
      en: "over the last 90 days you used {value:pct} of your limit on average",
    },
  },
  onTimeRatio12m: {
    code: "R_LATE_PAYMENTS",
    topic: { "zh-CN": "近12个月按时还款比例", en: "instalments paid on time in the last 12 months" },
    message: {
      "zh-CN": "您近12个月按时还款的期数占比为{value:pct}",
      en: "you paid {value:pct} of your instalments on time in the last 12 months",
    },
  },
  maxDpd12m: {
    code: "R_DELINQUENCY_SEVERITY",
    topic: { "zh-CN": "近12个月最长逾期天数", en: "longest overdue in the last 12 months" },
    message: {
      "zh-CN": "您近12个月最长逾期{value:count}天",
      en: "a payment was up to {value:count} days overdue in the last 12 months",
    },
  },
  overdueCount12m: {
    code: "R_DELINQUENCY_COUNT",
    topic: { "zh-CN": "近12个月逾期次数", en: "overdue instalments in the last 12 months" },
    message: {
      "zh-CN": "您近12个月逾期{value:count}次",
      en: "you had {value:count} overdue instalments in the last 12 months",
    },
  },
  daysSinceLastOverdue: {
    code: "R_RECENT_DELINQUENCY",
    topic: { "zh-CN": "距上次逾期天数", en: "days since your last overdue payment" },
    message: {
      "zh-CN": "您距上次逾期仅{value:count}天",
      en: "your last overdue payment was {value:count} days ago",
    },
  },
  debtToIncome: {
    code: "R_DEBT_TO_INCOME_HIGH",
    topic: { "zh-CN": "外部负债收入比", en: "debt elsewhere relative to income" },
    message: {
      "zh-CN": "征信显示您的外部负债为月收入的{value:pct}",
      en: "the credit bureau reports debts elsewhere of {value:pct} of your monthly income",
    },
  },
  bureauDelinquencies24m: {
    code: "R_BUREAU_DELINQUENCIES",
    topic: { "zh-CN": "征信近24个月逾期", en: "delinquencies reported by the credit bureau" },
    message: {
      "zh-CN": "征信报告显示您近24个月逾期{value:count}次",
      en: "the credit bureau reports {value:count} delinquencies in the last 24 months",
    },
  },
  bureauInquiries6m: {
    code: "R_BUREAU_INQUIRIES",
    topic: { "zh-CN": "征信近6个月查询次数", en: "credit bureau inquiries in the last 6 months" },
    message: {
      "zh-CN": "征信报告显示您近6个月被查询{value:count}次",
      en: "the credit bureau reports {value:count} credit inquiries in the last 6 months",
    },
  },
  monthsOnBook: {
    code: "R_SHORT_HISTORY",
    topic: { "zh-CN": "在本平台的使用时长", en: "time with us" },
    message: {
      "zh-CN": "您在本平台的使用时长为{value:count}个月",
      en: "you have been with us for {value:count} months",
    },
  },
};

/** A characteristic the model uses whose value is missing ("no data" has its own bin). */
export const missingValueMessage: LocalizedTemplate = {
  "zh-CN": "暂无您的{feature:feature}记录",
  en: "we have no record of your {feature:feature}",
};

/** A characteristic outside the catalogue (a model trained on other columns): its bin label is the figure. */
export const otherCharacteristicMessage: LocalizedTemplate = {
  "zh-CN": "您的{feature:text}（{attribute:text}）影响了评分",
  en: "your {feature:text} ({attribute:text}) lowered your score",
};

/** The code of a characteristic reason: the catalogue's, else the model's own reason code. */
export function characteristicCode(featureId: string, modelReasonCode: string): string {
  return characteristicCatalogue[featureId]?.code ?? `R_${modelReasonCode.replace(/^R_/, "").toUpperCase()}`;
}

/** Policy-rule reasons: code "P_" + the rule's snake_case code upper-cased (P_OVERBORROWING, …). */
export function ruleReasonCode(ruleCode: string): string {
  return `P_${ruleCode.toUpperCase()}`;
}

/**
 * Messages of the rules decideLimit can fire (guardrails, capacity, macro) and of the behaviour-rule codes
 * the default policy uses. Params: {effect:money} (absolute effect), {value}/{threshold} for behaviour rules.
 */
export const ruleCatalogue: Readonly<Record<string, LocalizedTemplate>> = {
  P_OVER_BORROWING_FREQUENCY: {
    "zh-CN": "您近30天借款{value:count}次，借款过于频繁，额度下调{effect:money}",
    en: "you drew {value:count} times in 30 days: borrowing this often lowered your limit by {effect:money}",
  },
  P_OVER_BORROWING_AMOUNT: {
    "zh-CN": "您近90天借款总额达到额度的{value:pct}，额度暂不提升",
    en: "you drew {value:pct} of your limit in 90 days, so your limit is held at its current level",
  },
  P_BORROW_REPAY_CYCLING: {
    "zh-CN": "您近90天有{value:count}笔借款在7天内借了又还，额度下调{effect:money}",
    en: "{value:count} drawdowns repaid within 7 days in 90 days (borrow-and-repay cycling) lowered your limit by {effect:money}",
  },
  P_INACTIVITY: {
    "zh-CN": "您已有{value:count}天未使用本平台，额度下调{effect:money}",
    en: "no activity for {value:count} days lowered your limit by {effect:money}",
  },
  P_FREQUENT_LIMIT_QUERIES: {
    "zh-CN": "您近30天查询额度{value:count}次，本次不提额",
    en: "you checked your limit {value:count} times in 30 days, so there is no increase this time",
  },
  P_MANY_CREDIT_APPLICATIONS: {
    "zh-CN": "您近90天申请贷款{value:count}次，额度下调{effect:money}",
    en: "{value:count} credit applications in 90 days lowered your limit by {effect:money}",
  },
  P_CAPACITY_CEILING: {
    "zh-CN": "根据您的收入与外部负债，额度上限为{ceiling:money}",
    en: "your income and debts elsewhere cap your limit at {ceiling:money}",
  },
  P_CAPACITY_BELOW_PRODUCT_MIN: {
    "zh-CN": "根据您的收入与外部负债，可用额度低于产品最低额度",
    en: "your income and debts elsewhere leave room below the product's minimum limit",
  },
  P_CAPACITY_PRODUCT_MAX: {
    "zh-CN": "额度已达产品上限",
    en: "your limit is at the product's maximum",
  },
  P_MACRO_RISK_APPETITE: {
    "zh-CN": "全平台风险偏好调整，并非针对您个人，额度下调{effect:money}",
    en: "platform-wide, not specific to you: a risk-appetite change lowered your limit by {effect:money}",
  },
  P_MACRO_LIQUIDITY: {
    "zh-CN": "全平台资金流动性调整，并非针对您个人，额度下调{effect:money}",
    en: "platform-wide, not specific to you: tighter funding lowered your limit by {effect:money}",
  },
  P_MACRO_EXPECTED_PROFIT_NEGATIVE: {
    "zh-CN": "全平台资金成本调整，并非针对您个人，额度下调{effect:money}",
    en: "platform-wide, not specific to you: the cost of funds lowered your limit by {effect:money}",
  },
  P_GUARDRAIL_NO_INCREASE_WHILE_OVERDUE: {
    "zh-CN": "当前有逾期（{dpd:count}天），暂不能提额",
    en: "your limit cannot rise while a payment is overdue ({dpd:count} days)",
  },
  P_GUARDRAIL_INCREASE_WAITING_PERIOD: {
    "zh-CN": "距上次提额仅{daysSinceIncrease:count}天，需满{waitingDays:count}天才能再次提额",
    en: "your limit rose {daysSinceIncrease:count} days ago; the next rise needs {waitingDays:count} days",
  },
  P_GUARDRAIL_FREEZE_OVERDUE: {
    "zh-CN": "逾期{dpd:count}天，额度已冻结",
    en: "your line is frozen: a payment is {dpd:count} days overdue",
  },
  P_GUARDRAIL_BAND_HYSTERESIS: {
    "zh-CN": "评分刚跨过分档线，暂保持原分档",
    en: "your score only just crossed a band edge, so your band is kept for now",
  },
  P_GUARDRAIL_LINE_CLOSED: {
    "zh-CN": "额度已关闭",
    en: "your line is closed",
  },
};

/** Macro lifecycle overlays have one code per stage (P_MACRO_LIFECYCLE_GROWTH, …): one message serves all. */
export const lifecycleRuleMessage: LocalizedTemplate = {
  "zh-CN": "全平台产品阶段调整，并非针对您个人，额度下调{effect:money}",
  en: "platform-wide, not specific to you: a product lifecycle change lowered your limit by {effect:money}",
};

/** Any other named rule (a policy's own behaviour-rule codes). */
export const otherRuleMessage: LocalizedTemplate = {
  "zh-CN": "额度政策规则“{rule:text}”使额度下调{effect:money}",
  en: "the limit policy's rule “{rule:text}” lowered your limit by {effect:money}",
};

export const ruleWithFeatureMessage: LocalizedTemplate = {
  "zh-CN": "额度政策规则“{rule:text}”（{feature:feature}为{value:auto}）使额度下调{effect:money}",
  en: "the limit policy's rule “{rule:text}” ({feature:feature} is {value:auto}) lowered your limit by {effect:money}",
};

export const actionCatalogue: Readonly<Record<PlanAction, LocalizedTemplate>> = {
  repay: {
    "zh-CN": "提前还款{money:money}，将待还本金降至{target:money}",
    en: "repay {money:money} early, bringing what you owe down to {target:money}",
  },
  avoid_limit_queries: {
    "zh-CN": "{days:count}天内不要查询额度",
    en: "do not check your limit for {days:count} days",
  },
  avoid_credit_applications: {
    "zh-CN": "{days:count}天内不要申请其他贷款",
    en: "do not apply for other credit for {days:count} days",
  },
  avoid_drawdowns: {
    "zh-CN": "{days:count}天内不再借款（降低{feature:feature}）",
    en: "make no new drawdowns for {days:count} days (to lower your {feature:feature})",
  },
  avoid_cycling: {
    "zh-CN": "{days:count}天内不要借款后7天内就还清",
    en: "for {days:count} days, do not repay a drawdown within 7 days of drawing it",
  },
  complete_verification: {
    "zh-CN": "再完成{count:count}项认证（如收入证明、工作单位、居住地址）",
    en: "complete {count:count} more verification(s) (e.g. income proof, employer, address)",
  },
  stay_active: {
    "zh-CN": "在{days:count}天内至少{target:count}天登录使用App",
    en: "use the app on at least {target:count} days within {days:count} days",
  },
  pay_on_time: {
    "zh-CN": "接下来{days:count}天每期按时还款，不发生逾期",
    en: "pay every instalment on time for the next {days:count} days",
  },
};

export const attributionLabels: Readonly<Record<AttributionGroup, LocalizedTemplate>> = {
  behaviour: { "zh-CN": "您自身的用信与还款行为", en: "your own borrowing, repayment and usage behaviour" },
  model_policy: {
    "zh-CN": "全平台调整，并非针对您个人：评分模型或额度政策更新",
    en: "platform-wide, not specific to you: an update of the scoring model or limit policy",
  },
  macro: {
    "zh-CN": "全平台调整，并非针对您个人：市场与资金策略调整",
    en: "platform-wide, not specific to you: a market and funding adjustment",
  },
  guardrail: {
    "zh-CN": "保护性规则（如单次最大降幅、提额等待期）",
    en: "protective rules (such as the largest decrease per decision and waiting periods)",
  },
};

export const announcementSuffix: LocalizedTemplate = {
  "zh-CN": "（公告 {id:text}）",
  en: " (announcement {id:text})",
};

export const planSummaries: Readonly<Record<PlanStatus | "unverified", LocalizedTemplate>> = {
  restore: {
    "zh-CN": "按以下步骤操作，您的额度最早可于{eta:date}恢复至{target:money}",
    en: "follow these steps and your limit can return to {target:money} on {eta:date}",
  },
  partial: {
    "zh-CN":
      "按现行政策暂无法恢复至{target:money}；按以下步骤操作，最早可于{eta:date}提升至{reachable:money}",
    en: "under the current policy your limit cannot return to {target:money}; these steps can raise it to {reachable:money} by {eta:date}",
  },
  not_needed: {
    "zh-CN": "您的额度没有下降，无需恢复",
    en: "your limit did not decrease: there is nothing to recover",
  },
  macro_only: {
    "zh-CN": "本次调整为全平台调整，并非针对您个人；下次额度评估日为{next:date}",
    en: "this change is platform-wide, not specific to you; your limit will be reviewed again on {next:date}",
  },
  unverified: {
    "zh-CN": "暂时无法给出经过验证的恢复方案；下次额度评估日为{next:date}",
    en: "no verified recovery plan is available right now; your limit will be reviewed again on {next:date}",
  },
};

/** A plan's conditions: what the borrower keeps until the re-evaluation for the promise to hold. */
export const conditionCatalogue: Readonly<Record<PlanConditionCode, LocalizedTemplate>> = {
  C_REPAY_TO: {
    "zh-CN": "待还本金保持在{target:money}以内",
    en: "keep what you owe at or below {target:money}",
  },
  C_VERIFICATIONS: {
    "zh-CN": "保持已完成至少{target:count}项认证",
    en: "have at least {target:count} verifications complete",
  },
  C_ACTIVE_DAYS: {
    "zh-CN": "重新评估时近30天内至少{target:count}天登录过App",
    en: "have used the app on at least {target:count} of the 30 days before the re-evaluation",
  },
  C_NO_NEW_DRAWDOWNS: {
    "zh-CN": "不再新增借款",
    en: "make no new drawdowns",
  },
  C_NO_LIMIT_QUERIES: {
    "zh-CN": "除这次重新评估外不再查询额度",
    en: "do not check your limit, apart from asking for the re-evaluation",
  },
  C_NO_CREDIT_APPLICATIONS: {
    "zh-CN": "不申请其他贷款",
    en: "do not apply for other credit",
  },
  C_NO_OVERDUE: {
    "zh-CN": "每期按时还款，不发生逾期",
    en: "pay every instalment on time",
  },
  C_BUREAU_NO_WORSE: {
    "zh-CN": "征信报告不新增逾期或负债",
    en: "let no new delinquency or debt appear on your credit report",
  },
};

/** What a decision did with the recovery plan in force before it. */
export const commitmentCatalogue: Readonly<Record<CommitmentStatus | "honoured_lifted", LocalizedTemplate>> =
  {
    in_force: {
      "zh-CN": "您{made:date}的恢复方案仍然有效：保持其条件，{eta:date}起额度至少为{promised:money}",
      en: "your recovery plan of {made:date} still holds: keep its conditions and your limit will be at least {promised:money} from {eta:date}",
    },
    honoured: {
      "zh-CN": "您{made:date}的恢复方案已兑现：额度至少为{promised:money}",
      en: "your recovery plan of {made:date} is kept: your limit is at least {promised:money}",
    },
    honoured_lifted: {
      "zh-CN":
        "您{made:date}的恢复方案已兑现：您遵守了全部条件，额度按承诺从{lifted:money}提升至{promised:money}",
      en: "your recovery plan of {made:date} is kept: you met every condition, so your limit is {promised:money} as promised rather than {lifted:money}",
    },
    broken: {
      "zh-CN": "您{made:date}的恢复方案已失效，因为未满足：{conditions:text}",
      en: "your recovery plan of {made:date} no longer applies because this condition was not kept: {conditions:text}",
    },
    overtaken: {
      "zh-CN": "您{made:date}的恢复方案因全平台调整（{by:text}）而失效，并非针对您个人",
      en: "your recovery plan of {made:date} was overtaken by a platform-wide change ({by:text}), not specific to you",
    },
    completed: {
      "zh-CN": "您{made:date}的恢复方案已完成",
      en: "your recovery plan of {made:date} has run its course",
    },
  };

export const overtakenByLabels: Readonly<
  Record<NonNullable<PlanCommitment["overtakenBy"]>, LocalizedTemplate>
> = {
  model: { "zh-CN": "评分模型更新", en: "a scoring model update" },
  policy: { "zh-CN": "额度政策更新", en: "a limit policy update" },
  macro: { "zh-CN": "市场与资金策略调整", en: "a market and funding adjustment" },
  exposure_budget: { "zh-CN": "全平台额度预算", en: "the platform-wide exposure budget" },
};

function formatParam(value: ParamValue | undefined, kind: string, lang: Lang): string {
  if (value === null || value === undefined) return lang === "zh-CN" ? "无" : "none";
  switch (kind) {
    case "money": {
      const n = typeof value === "number" ? Math.abs(value) : Number(value);
      return lang === "zh-CN" ? `${formatMinor(n)}元` : `CNY ${formatMinor(n)}`;
    }
    case "pct":
      return typeof value === "number" ? `${Math.round(value * 100)}%` : String(value);
    case "count":
    case "days":
      return typeof value === "number" ? String(Math.round(value * 100) / 100) : String(value);
    case "auto":
      // A rule's tested value: ratios below 1 shown as percentages, counts as is.
      return typeof value === "number" && !Number.isInteger(value)
        ? `${Math.round(value * 100)}%`
        : String(value);
    case "feature": {
      const entry = characteristicCatalogue[String(value)];
      return entry ? entry.topic[lang] : String(value);
    }
    default:
      return String(value);
  }
}

/** Fills a template's "{name:kind}" placeholders from params. */
export function fillTemplate(template: LocalizedTemplate, params: MessageParams, lang: Lang): string {
  return template[lang].replace(/\{(\w+):(\w+)\}/g, (_, name: string, kind: string) =>
    formatParam(params[name], kind, lang),
  );
}
