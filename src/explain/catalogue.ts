// The reason catalogue: stable codes per feature, per missing-data source and per policy rule, with their
// zh-CN and en sentences. Templates are data: "{name:kind}" placeholders (format.ts) are filled from a
// reason's params at read time (kinds: count, money, pct, days, date, text, feature, name, auto).

import { fillTemplate, type LocalizedTemplate } from "./format.js";
import type {
  Direction,
  Lang,
  MessageParams,
  MissingDataActionKind,
  MissingSource,
  RuleEffectPhrase,
} from "./types.js";

export type { LocalizedTemplate } from "./format.js";

export interface CharacteristicEntry {
  readonly code: string;
  /** The feature's name in a sentence ("your {feature:…}"). */
  readonly topic: LocalizedTemplate;
  /** The borrower's own figure, as {value:kind}: a fact, true whichever bin it falls in. */
  readonly message: LocalizedTemplate;
  /** The better level as {betterAt:kind}, in the feature's direction: "20 or more scores higher". */
  readonly better: LocalizedTemplate;
  /** Lower is better and the better level is none at all: "no limit checks scores higher", not "0 or fewer". */
  readonly betterZero?: LocalizedTemplate;
}

/**
 * One code per feature id of DESIGN.md. A code names the feature, not the bin: the message carries the
 * figure and the better level, so it reads right whichever bin the borrower is in.
 */
export const characteristicCatalogue: Readonly<Record<string, CharacteristicEntry>> = {
  loginDays30d: {
    code: "R_LOW_APP_ACTIVITY",
    topic: { "zh-CN": "近30天登录天数", en: "days with app use in the last 30 days" },
    message: {
      "zh-CN": "您近30天有{value:count}天登录使用App",
      en: "you used the app on {value:count} of the last 30 days",
    },
    better: { "zh-CN": "达到{betterAt:count}天及以上评分更高", en: "{betterAt:count} or more scores higher" },
  },
  paymentCount30d: {
    code: "R_FEW_PAYMENTS",
    topic: { "zh-CN": "近30天支付笔数", en: "payments in the last 30 days" },
    message: {
      "zh-CN": "您近30天通过本平台支付{value:count}笔",
      en: "you made {value:count:payment/payments} with the app in the last 30 days",
    },
    better: { "zh-CN": "达到{betterAt:count}笔及以上评分更高", en: "{betterAt:count} or more scores higher" },
  },
  paymentAmount90dMinor: {
    code: "R_LOW_PAYMENT_VOLUME",
    topic: { "zh-CN": "近90天支付金额", en: "payment volume in the last 90 days" },
    message: {
      "zh-CN": "您近90天通过本平台支付{value:money}",
      en: "you paid {value:money} with the app in the last 90 days",
    },
    better: { "zh-CN": "达到{betterAt:money}及以上评分更高", en: "{betterAt:money} or more scores higher" },
  },
  productKinds180d: {
    code: "R_FEW_RELATED_PRODUCTS",
    topic: { "zh-CN": "近180天使用的其他金融产品", en: "other financial products used in the last 180 days" },
    message: {
      "zh-CN": "您近180天使用了{value:count}类本平台其他金融产品",
      en: "you used {value:count:kind/kinds} of our other financial products in the last 180 days",
    },
    better: { "zh-CN": "达到{betterAt:count}类及以上评分更高", en: "{betterAt:count} or more scores higher" },
  },
  limitQueries30d: {
    code: "R_LIMIT_QUERIES",
    topic: { "zh-CN": "近30天额度查询次数", en: "limit checks in the last 30 days" },
    message: {
      "zh-CN": "您近30天查询额度{value:count}次",
      en: "you checked your limit {value:count:time/times} in the last 30 days",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "不查询额度评分更高", en: "no limit checks scores higher" },
  },
  creditApplications90d: {
    code: "R_CREDIT_APPLICATIONS",
    topic: { "zh-CN": "近90天贷款申请次数", en: "credit applications in the last 90 days" },
    message: {
      "zh-CN": "您近90天申请贷款{value:count}次",
      en: "you applied for credit {value:count:time/times} in the last 90 days",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "不申请贷款评分更高", en: "no credit applications scores higher" },
  },
  verificationLevel: {
    code: "R_VERIFICATION_INCOMPLETE",
    topic: { "zh-CN": "已完成的认证", en: "completed verifications" },
    message: {
      "zh-CN": "您已完成6项认证中的{value:count}项",
      en: "you have completed {value:count} of 6 verifications",
    },
    better: { "zh-CN": "完成{betterAt:count}项及以上评分更高", en: "{betterAt:count} or more scores higher" },
  },
  daysSinceLastActivity: {
    code: "R_INACTIVE",
    topic: { "zh-CN": "最近一次使用距今天数", en: "days since your last activity" },
    message: {
      "zh-CN": "您最近一次使用本平台是在{value:count}天前",
      en: "your last activity with us was {value:count:day/days} ago",
    },
    better: {
      "zh-CN": "{betterAt:count}天内有使用记录评分更高",
      en: "activity within the last {betterAt:count:day/days} scores higher",
    },
    betterZero: { "zh-CN": "当天有使用记录评分更高", en: "activity today scores higher" },
  },
  drawdownCount30d: {
    code: "R_DRAWDOWN_FREQUENCY",
    topic: { "zh-CN": "近30天借款次数", en: "drawdowns in the last 30 days" },
    message: {
      "zh-CN": "您近30天借款{value:count}次",
      en: "you made {value:count:drawdown/drawdowns} in the last 30 days",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "不借款评分更高", en: "no drawdowns scores higher" },
  },
  drawdownCount90d: {
    code: "R_DRAWDOWN_FREQUENCY_90D",
    topic: { "zh-CN": "近90天借款次数", en: "drawdowns in the last 90 days" },
    message: {
      "zh-CN": "您近90天借款{value:count}次",
      en: "you made {value:count:drawdown/drawdowns} in the last 90 days",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "不借款评分更高", en: "no drawdowns scores higher" },
  },
  drawdownAmount90dToLimit: {
    code: "R_DRAWDOWN_VOLUME",
    topic: { "zh-CN": "近90天借款总额占额度比例", en: "amount drawn in 90 days relative to your limit" },
    message: {
      "zh-CN": "您近90天借款总额达到额度的{value:pct}",
      en: "in the last 90 days you drew {value:pct} of your limit",
    },
    better: { "zh-CN": "{betterAt:pct}及以下评分更高", en: "{betterAt:pct} or less scores higher" },
    betterZero: { "zh-CN": "不借款评分更高", en: "drawing nothing scores higher" },
  },
  cycleCount90d: {
    code: "R_BORROW_REPAY_CYCLING",
    topic: { "zh-CN": "近90天借了又还的次数", en: "borrow-and-repay cycles in the last 90 days" },
    message: {
      "zh-CN": "您近90天有{value:count}笔借款在7天内借了又还",
      en: "in the last 90 days you repaid {value:count:drawdown/drawdowns} within 7 days of drawing",
    },
    better: { "zh-CN": "{betterAt:count}笔及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "没有借了又还的记录评分更高", en: "none scores higher" },
  },
  utilisation: {
    code: "R_UTILISATION_HIGH",
    topic: { "zh-CN": "额度使用率", en: "limit utilisation" },
    message: { "zh-CN": "您当前额度使用率为{value:pct}", en: "you are using {value:pct} of your limit" },
    better: { "zh-CN": "{betterAt:pct}及以下评分更高", en: "{betterAt:pct} or less scores higher" },
    betterZero: { "zh-CN": "使用率为0%评分更高", en: "0% scores higher" },
  },
  avgUtilisation90d: {
    code: "R_AVG_UTILISATION_HIGH",
    topic: { "zh-CN": "近90天平均额度使用率", en: "average utilisation over 90 days" },
    message: {
      "zh-CN": "您近90天平均额度使用率为{value:pct}",
      en: "over the last 90 days you used {value:pct} of your limit on average",
    },
    better: { "zh-CN": "{betterAt:pct}及以下评分更高", en: "{betterAt:pct} or less scores higher" },
    betterZero: { "zh-CN": "使用率为0%评分更高", en: "0% scores higher" },
  },
  onTimeRatio12m: {
    code: "R_LATE_PAYMENTS",
    topic: { "zh-CN": "近12个月按时还款比例", en: "instalments paid on time in the last 12 months" },
    message: {
      "zh-CN": "您近12个月按时还款的期数占比为{value:pct}",
      en: "you paid {value:pct} of your instalments on time in the last 12 months",
    },
    better: { "zh-CN": "达到{betterAt:pct}及以上评分更高", en: "{betterAt:pct} or more scores higher" },
  },
  maxDpd12m: {
    code: "R_DELINQUENCY_SEVERITY",
    topic: { "zh-CN": "近12个月最长逾期天数", en: "longest overdue in the last 12 months" },
    message: {
      "zh-CN": "您近12个月最长逾期{value:count}天",
      en: "a payment was up to {value:count:day/days} overdue in the last 12 months",
    },
    better: { "zh-CN": "{betterAt:count}天及以下评分更高", en: "{betterAt:count:day/days} scores higher" },
    betterZero: { "zh-CN": "没有逾期评分更高", en: "no overdue days scores higher" },
  },
  overdueCount12m: {
    code: "R_DELINQUENCY_COUNT",
    topic: { "zh-CN": "近12个月逾期次数", en: "overdue instalments in the last 12 months" },
    message: {
      "zh-CN": "您近12个月逾期{value:count}次",
      en: "you had {value:count:overdue instalment/overdue instalments} in the last 12 months",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "没有逾期评分更高", en: "none scores higher" },
  },
  daysSinceLastOverdue: {
    code: "R_RECENT_DELINQUENCY",
    topic: { "zh-CN": "距上次逾期天数", en: "days since your last overdue payment" },
    message: {
      "zh-CN": "您距上次逾期仅{value:count}天",
      en: "your last overdue payment was {value:count:day/days} ago",
    },
    better: {
      "zh-CN": "满{betterAt:count}天无逾期评分更高",
      en: "{betterAt:count:day/days} or more without one scores higher",
    },
  },
  debtToIncome: {
    code: "R_DEBT_TO_INCOME_HIGH",
    topic: { "zh-CN": "外部负债收入比", en: "debt elsewhere relative to income" },
    message: {
      "zh-CN": "征信显示您的外部负债为月收入的{value:pct}",
      en: "the credit bureau reports debts elsewhere of {value:pct} of your monthly income",
    },
    better: { "zh-CN": "{betterAt:pct}及以下评分更高", en: "{betterAt:pct} or less scores higher" },
    betterZero: { "zh-CN": "没有外部负债评分更高", en: "no debts elsewhere scores higher" },
  },
  bureauDelinquencies24m: {
    code: "R_BUREAU_DELINQUENCIES",
    topic: { "zh-CN": "征信近24个月逾期", en: "delinquencies reported by the credit bureau" },
    message: {
      "zh-CN": "征信报告显示您近24个月逾期{value:count}次",
      en: "the credit bureau reports {value:count:delinquency/delinquencies} in the last 24 months",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "没有逾期记录评分更高", en: "none scores higher" },
  },
  bureauInquiries6m: {
    code: "R_BUREAU_INQUIRIES",
    topic: { "zh-CN": "征信近6个月查询次数", en: "credit bureau inquiries in the last 6 months" },
    message: {
      "zh-CN": "征信报告显示您近6个月被查询{value:count}次",
      en: "the credit bureau reports {value:count:credit inquiry/credit inquiries} in the last 6 months",
    },
    better: { "zh-CN": "{betterAt:count}次及以下评分更高", en: "{betterAt:count} or fewer scores higher" },
    betterZero: { "zh-CN": "没有查询记录评分更高", en: "none scores higher" },
  },
  monthsOnBook: {
    code: "R_SHORT_HISTORY",
    topic: { "zh-CN": "在本平台的使用时长", en: "time with us" },
    message: {
      "zh-CN": "您在本平台的使用时长为{value:count}个月",
      en: "you have been with us for {value:count:month/months}",
    },
    better: {
      "zh-CN": "满{betterAt:count}个月评分更高",
      en: "{betterAt:count:month/months} or more scores higher",
    },
  },
};

/** A feature's name in a sentence, from the catalogue. */
export function topicOf(featureId: string, lang: Lang): string | undefined {
  return characteristicCatalogue[featureId]?.topic[lang];
}

/** Fills a template with the catalogue's feature names. */
export function fill(template: LocalizedTemplate, params: MessageParams, lang: Lang): string {
  return fillTemplate(template, params, lang, topicOf);
}

/** A characteristic outside the catalogue (a model trained on other columns): its bin label is the figure. */
export const otherCharacteristicMessage: LocalizedTemplate = {
  "zh-CN": "您的{feature:feature}（{attribute:text}）影响了评分",
  en: "your {feature:feature} ({attribute:text}) lowered your score",
};

/** The better level of a characteristic outside the catalogue, by direction. */
export const otherBetterMessages: Readonly<Record<Direction, LocalizedTemplate>> = {
  higher: { "zh-CN": "达到{betterAt:auto}及以上评分更高", en: "{betterAt:auto} or more scores higher" },
  lower: { "zh-CN": "{betterAt:auto}及以下评分更高", en: "{betterAt:auto} or less scores higher" },
};

/** A characteristic reason stored before reasons carried missing data apart (a null value). */
export const missingValueMessage: LocalizedTemplate = {
  "zh-CN": "暂无您的{feature:feature}记录",
  en: "we have no record of your {feature:feature}",
};

/** What is missing and how to supply it: never the borrower's conduct. */
export const missingCatalogue: Readonly<Record<MissingSource, LocalizedTemplate>> = {
  bureau_report: {
    "zh-CN": "我们暂无您包含收入与负债信息的征信报告，评分无法将其计入；授权查询征信即可补充",
    en: "we have no credit bureau report with your income and debts, so your score cannot take them into account; authorising a credit bureau check adds them",
  },
  repayment_history: {
    "zh-CN": "您近12个月没有到期的还款，暂无可评估的还款记录；按期还款即可积累",
    en: "no instalment has fallen due in the last 12 months, so there is no repayment record to score yet; paying instalments by their due dates builds one",
  },
  verification: {
    "zh-CN": "暂无您的认证记录；在App内完成认证即可补充",
    en: "we have no record of your verifications; completing them in the app adds it",
  },
  app_activity: {
    "zh-CN": "暂无您使用App的记录；登录或使用App支付即可开始积累",
    en: "we have no record of you using the app yet; logging in or paying with the app starts one",
  },
  line_history: {
    "zh-CN": "暂无您使用额度的记录；借款并按时还款后会逐步积累",
    en: "we have no record yet of how you use your credit line; it builds up as you draw and repay",
  },
  tenure: {
    "zh-CN": "您是本平台的新用户，暂无可评估的使用时长；会随时间逐月积累",
    en: "you are new with us, so there is no time with us to score yet; it builds up month by month",
  },
  other: {
    "zh-CN": "暂无您的{feature:feature}记录",
    en: "we have no record of your {feature:feature}",
  },
};

/** The bureau report missing where it set the limit: the capacity ceiling fell back for want of an income. */
export const missingBureauCapMessage: LocalizedTemplate = {
  "zh-CN": "我们暂无显示您收入的征信报告，因此额度上限为{ceiling:money}；授权查询征信后即可按您的收入评估",
  en: "we have no credit bureau report showing your income, so your limit is capped at {ceiling:money}; authorising a credit bureau check lets us take your income into account",
};

/** What the borrower does to supply missing data (a plan's `actions`). */
export const missingActionCatalogue: Readonly<Record<MissingDataActionKind, LocalizedTemplate>> = {
  supply_bureau_report: {
    "zh-CN": "授权查询征信报告，以便按您的收入与负债评估额度",
    en: "authorise a credit bureau check, so that your income and debts can be taken into account",
  },
  complete_verification: {
    "zh-CN": "在App内完成认证（身份证、银行卡、收入证明等）",
    en: "complete your verifications in the app (identity, bank card, income proof)",
  },
  build_repayment_history: {
    "zh-CN": "每期按时还款：首期还款后即开始积累还款记录",
    en: "pay each instalment by its due date: your repayment record starts with the first one",
  },
  use_app: {
    "zh-CN": "使用App：登录或用App支付",
    en: "use the app: log in, or pay with it",
  },
};

/** The code of a characteristic reason: the catalogue's, else the model's own reason code. */
export function characteristicCode(featureId: string, modelReasonCode: string): string {
  return characteristicCatalogue[featureId]?.code ?? `R_${modelReasonCode.replace(/^R_/, "").toUpperCase()}`;
}

/** Policy-rule reasons: code "P_" + the rule's snake_case code upper-cased (P_OVERBORROWING, …). */
export function ruleReasonCode(ruleCode: string): string {
  return `P_${ruleCode.toUpperCase()}`;
}

/** A rule's sentences, one per way it can read (see RuleEffectPhrase); a missing one reads generically. */
export type RuleEntry = Partial<Record<RuleEffectPhrase, LocalizedTemplate>>;

/** One sentence whatever the limit did (a ceiling, a closed line). */
function always(t: LocalizedTemplate): RuleEntry {
  return { lowered: t, reduced: t, held: t };
}

/** A rule that scales the limit: it lowered it (a decrease) or lowered what we could offer (otherwise). */
function scaling(fact: LocalizedTemplate): RuleEntry {
  return {
    lowered: {
      "zh-CN": `${fact["zh-CN"]}，额度因此下调{effect:money}`,
      en: `${fact.en}; this lowered your limit by {effect:money}`,
    },
    reduced: {
      "zh-CN": `${fact["zh-CN"]}，可给予的额度因此减少{effect:money}`,
      en: `${fact.en}; this reduced the limit we could offer by {effect:money}`,
    },
  };
}

/** A macro overlay: platform-wide, said first. */
function platformWide(what: LocalizedTemplate): RuleEntry {
  return {
    lowered: {
      "zh-CN": `全平台${what["zh-CN"]}，并非针对您个人，额度下调{effect:money}`,
      en: `platform-wide, not specific to you: ${what.en} lowered your limit by {effect:money}`,
    },
    reduced: {
      "zh-CN": `全平台${what["zh-CN"]}，并非针对您个人，可给予的额度减少{effect:money}`,
      en: `platform-wide, not specific to you: ${what.en} reduced the limit we could offer by {effect:money}`,
    },
  };
}

/**
 * Messages of the rules decideLimit can fire (guardrails, capacity, macro) and of the behaviour-rule codes
 * the default policy uses. Params: {effect:money} (absolute effect), {value}/{threshold} for behaviour rules.
 * A rule that only stops a rise (cap at the current limit, block, waiting period) is never a reason for a
 * decrease: it reads "held" only.
 */
export const ruleCatalogue: Readonly<Record<string, RuleEntry>> = {
  P_OVER_BORROWING_FREQUENCY: scaling({
    "zh-CN": "您近30天借款{value:count}次，借款过于频繁",
    en: "you made {value:count:drawdown/drawdowns} in the last 30 days, which is borrowing very often",
  }),
  P_OVER_BORROWING_AMOUNT: {
    held: {
      "zh-CN": "您近90天借款总额达到额度的{value:pct}，额度维持当前水平、暂不提升",
      en: "you drew {value:pct} of your limit in the last 90 days, so your limit stays at its current level",
    },
  },
  P_BORROW_REPAY_CYCLING: scaling({
    "zh-CN": "您近90天有{value:count}笔借款在7天内借了又还",
    en: "in the last 90 days you repaid {value:count:drawdown/drawdowns} within 7 days of drawing (borrow-and-repay cycling)",
  }),
  P_INACTIVITY: scaling({
    "zh-CN": "您已有{value:count}天未使用本平台",
    en: "you have not used the app for {value:count:day/days}",
  }),
  P_FREQUENT_LIMIT_QUERIES: {
    held: {
      "zh-CN": "您近30天查询额度{value:count}次，本次额度维持当前水平",
      en: "you checked your limit {value:count:time/times} in the last 30 days, so your limit stays at its current level this time",
    },
  },
  P_MANY_CREDIT_APPLICATIONS: scaling({
    "zh-CN": "您近90天申请贷款{value:count}次",
    en: "you applied for credit {value:count:time/times} in the last 90 days",
  }),
  P_CAPACITY_CEILING: always({
    "zh-CN": "根据征信报告中您的收入与外部负债，额度上限为{ceiling:money}",
    en: "your income and debts elsewhere, as the credit bureau reports them, cap your limit at {ceiling:money}",
  }),
  P_CAPACITY_BELOW_PRODUCT_MIN: always({
    "zh-CN": "根据征信报告中您的收入与外部负债，可承受的额度低于产品最低额度",
    en: "your income and debts elsewhere, as the credit bureau reports them, leave room below the product's minimum limit",
  }),
  P_CAPACITY_PRODUCT_MAX: always({
    "zh-CN": "额度已达产品上限",
    en: "your limit is at the product's maximum",
  }),
  P_MACRO_RISK_APPETITE: platformWide({ "zh-CN": "风险偏好调整", en: "a risk-appetite change" }),
  P_MACRO_LIQUIDITY: platformWide({ "zh-CN": "资金流动性调整", en: "tighter funding" }),
  P_MACRO_EXPECTED_PROFIT_NEGATIVE: platformWide({ "zh-CN": "资金成本调整", en: "the cost of funds" }),
  P_GUARDRAIL_NO_INCREASE_WHILE_OVERDUE: always({
    "zh-CN": "当前有逾期（{dpd:count}天），额度暂不能提升",
    en: "a payment is {dpd:count:day/days} overdue, so your limit cannot rise for now",
  }),
  P_GUARDRAIL_INCREASE_WAITING_PERIOD: always({
    "zh-CN": "距上次提额仅{daysSinceIncrease:count}天，需满{waitingDays:count}天才能再次提额",
    en: "your limit rose {daysSinceIncrease:count:day/days} ago; it can rise again once {waitingDays:count:day/days} have passed",
  }),
  P_GUARDRAIL_FREEZE_OVERDUE: always({
    "zh-CN": "逾期{dpd:count}天，额度已冻结，还清前维持不变",
    en: "your line is frozen because a payment is {dpd:count:day/days} overdue; your limit stays as it is until it is repaid",
  }),
  P_GUARDRAIL_BAND_HYSTERESIS: always({
    "zh-CN": "评分刚跨过分档线，暂保持原分档",
    en: "your score only just crossed a band edge, so your band is kept for now",
  }),
  P_GUARDRAIL_LINE_CLOSED: always({
    "zh-CN": "额度已关闭",
    en: "your line is closed",
  }),
  P_GUARDRAIL_ON_TIME_REPAYMENT: {
    held: {
      "zh-CN": "您按时还款，按时还款不会使额度下降，额度维持当前水平",
      en: "you repaid on time, and an on-time repayment does not lower your limit, so it stays at its current level",
    },
  },
  P_GUARDRAIL_MAX_DECREASE: {
    held: {
      "zh-CN": "单次评估的降幅有上限，额度维持当前水平",
      en: "one decision may lower a limit only so far, so your limit stays at its current level",
    },
  },
  // A borrower's own re-evaluation request never lowers the limit (policy guardrail reevaluationNeverLowers):
  // a floor at the current limit, so it only ever reads "held".
  P_GUARDRAIL_REEVALUATION_NEVER_LOWERS: {
    held: {
      "zh-CN": "本次评估由您本人申请，主动申请评估不会使额度下降，额度维持当前水平",
      en: "you asked for this review yourself, and asking never lowers your limit, so it stays at its current level",
    },
  },
};

/** Macro lifecycle overlays have one code per stage (P_MACRO_LIFECYCLE_GROWTH, …): one entry serves all. */
export const lifecycleRuleEntry: RuleEntry = platformWide({
  "zh-CN": "产品阶段调整",
  en: "a product lifecycle change",
});

/** Any other named rule (a policy's own behaviour-rule codes), its id in words. */
export const otherRuleEntry: RuleEntry = {
  lowered: {
    "zh-CN": "额度政策规则“{rule:name}”使额度下调{effect:money}",
    en: "the limit policy's rule “{rule:name}” lowered your limit by {effect:money}",
  },
  reduced: {
    "zh-CN": "额度政策规则“{rule:name}”使可给予的额度减少{effect:money}",
    en: "the limit policy's rule “{rule:name}” reduced the limit we could offer by {effect:money}",
  },
  held: {
    "zh-CN": "额度政策规则“{rule:name}”使额度维持当前水平",
    en: "the limit policy's rule “{rule:name}” keeps your limit at its current level",
  },
};

export const ruleWithFeatureEntry: RuleEntry = {
  lowered: {
    "zh-CN": "额度政策规则“{rule:name}”（{feature:feature}为{value:auto}）使额度下调{effect:money}",
    en: "the limit policy's rule “{rule:name}” ({feature:feature} is {value:auto}) lowered your limit by {effect:money}",
  },
  reduced: {
    "zh-CN": "额度政策规则“{rule:name}”（{feature:feature}为{value:auto}）使可给予的额度减少{effect:money}",
    en: "the limit policy's rule “{rule:name}” ({feature:feature} is {value:auto}) reduced the limit we could offer by {effect:money}",
  },
  held: {
    "zh-CN": "额度政策规则“{rule:name}”（{feature:feature}为{value:auto}）使额度维持当前水平",
    en: "the limit policy's rule “{rule:name}” ({feature:feature} is {value:auto}) keeps your limit at its current level",
  },
};

/** The template of a rule reason: its own entry's phrase, else the generic one for that phrase. */
export function ruleTemplate(
  code: string,
  phrase: RuleEffectPhrase,
  withFeature: boolean,
): LocalizedTemplate {
  const own = ruleCatalogue[code] ?? (code.startsWith("P_MACRO_LIFECYCLE_") ? lifecycleRuleEntry : undefined);
  return own?.[phrase] ?? (withFeature ? ruleWithFeatureEntry : otherRuleEntry)[phrase]!;
}
