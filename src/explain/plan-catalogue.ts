// The plan's messages: step actions, conditions, summaries, why a plan has no steps, what a decision did with
// the plan in force, attribution labels and the one-sentence headline of a change, in zh-CN and en.

import type { LocalizedTemplate } from "./format.js";
import type {
  AttributionGroup,
  CommitmentStatus,
  PlanAction,
  PlanCommitment,
  PlanConditionCode,
  PlanMissingCode,
  PlanStatus,
} from "./types.js";

export const actionCatalogue: Readonly<Record<PlanAction, LocalizedTemplate>> = {
  repay: {
    "zh-CN": "提前还款{money:money}，将待还本金降至{target:money}",
    en: "repay {money:money} early, bringing what you owe down to {target:money}",
  },
  avoid_limit_queries: {
    "zh-CN": "{days:count}天内不要查询额度",
    en: "do not check your limit for {days:count:day/days}",
  },
  avoid_credit_applications: {
    "zh-CN": "{days:count}天内不要申请其他贷款",
    en: "do not apply for other credit for {days:count:day/days}",
  },
  avoid_drawdowns: {
    "zh-CN": "{days:count}天内不再借款（降低{feature:feature}）",
    en: "make no new drawdowns for {days:count:day/days} (to lower your {feature:feature})",
  },
  avoid_cycling: {
    "zh-CN": "{days:count}天内不要借款后7天内就还清",
    en: "for {days:count:day/days}, do not repay a drawdown within 7 days of drawing it",
  },
  complete_verification: {
    "zh-CN": "再完成{count:count}项认证（如收入证明、工作单位、居住地址）",
    en: "complete {count:count:more verification/more verifications} (e.g. income proof, employer, address)",
  },
  stay_active: {
    "zh-CN": "在{days:count}天内至少{target:count}天登录使用App",
    en: "use the app on at least {target:count:day/days} within {days:count:day/days}",
  },
  pay_on_time: {
    "zh-CN": "接下来{days:count}天每期按时还款，不发生逾期",
    en: "pay every instalment on time for the next {days:count:day/days}",
  },
};

/** What repaying the arrears does: it lifts an overdue freeze, not a hold set for another reason. */
export type OverdueRepaymentEffect = "unfreezes" | "stays_frozen" | "not_frozen";

/** The first step or action of a frozen or overdue borrower's plan, naming the amount overdue. */
export const overdueRepaymentCatalogue: Readonly<Record<OverdueRepaymentEffect, LocalizedTemplate>> = {
  unfreezes: {
    "zh-CN": "立即归还逾期款项{money:money}：还清后额度即解除冻结，您可以重新借款并申请重新评估",
    en: "repay the {money:money} overdue now: once it is paid your line is no longer frozen, so you can draw again and ask for a re-evaluation",
  },
  stays_frozen: {
    "zh-CN": "立即归还逾期款项{money:money}，停止罚息累积；您的额度另因其他原因冻结，需待解除后才能借款",
    en: "repay the {money:money} overdue now, so that penalty interest stops; your line is also on hold for another reason and stays frozen until that is lifted",
  },
  not_frozen: {
    "zh-CN": "立即归还逾期款项{money:money}，停止罚息累积，避免额度被冻结",
    en: "repay the {money:money} overdue now: that stops penalty interest and keeps your line from being frozen",
  },
};

/** A plan with nothing to recover or nothing verified, read while the line is overdue: the arrears come first. */
export const overdueSummaries: Readonly<Record<"frozen" | "not_frozen", LocalizedTemplate>> = {
  frozen: {
    "zh-CN": "您有{money:money}逾期未还，额度已冻结：请先归还逾期款项",
    en: "your line is frozen while {money:money} is overdue: repaying it comes first",
  },
  not_frozen: {
    "zh-CN": "您有{money:money}逾期未还：请先归还逾期款项",
    en: "{money:money} is overdue: repaying it comes first",
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
    "zh-CN": "额度变动速度的限制（如一段时间内的最大降幅、两次提额之间的等待期）",
    en: "limits on how fast a limit may change (the largest fall within a window of days, waiting periods between increases)",
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
    en: "have at least {target:count:verification/verifications} complete",
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
export const commitmentCatalogue: Readonly<
  Record<CommitmentStatus | "honoured_lifted" | "honoured_capped", LocalizedTemplate>
> = {
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
  honoured_capped: {
    "zh-CN":
      "您{made:date}的恢复方案在额度政策允许的承诺提额范围内兑现：额度至少为{capped:money}（方案承诺{promised:money}）",
    en: "your recovery plan of {made:date} is kept as far as the limit policy lets a promise raise a limit: your limit is at least {capped:money} (the plan promised {promised:money})",
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

/** Why an unverified plan has no steps. */
export const planMissingMessages: Readonly<Record<PlanMissingCode, LocalizedTemplate>> = {
  missing_data: {
    "zh-CN": "在您补充缺失的信息之前，我们无法确认能够提升额度的方案；请先完成下列操作",
    en: "we cannot confirm a way to raise your limit until we have the missing information: the actions listed supply it",
  },
  no_verified_steps: {
    "zh-CN": "目前没有经过验证、可在下次评估（{next:date}）前提升额度的操作",
    en: "nothing you can do now is confirmed to raise your limit before the next review on {next:date}",
  },
};

export type HeadlineKind = "decrease" | "increase" | "unchanged" | "unchanged_no_reasons";

/** What happened to the limit, in one sentence; an unchanged limit is explained by what holds it. */
export const headlines: Readonly<Record<HeadlineKind, LocalizedTemplate>> = {
  decrease: {
    "zh-CN": "您的额度由{from:money}下调至{to:money}",
    en: "your limit fell from {from:money} to {to:money}",
  },
  increase: {
    "zh-CN": "您的额度由{from:money}提升至{to:money}",
    en: "your limit rose from {from:money} to {to:money}",
  },
  unchanged: {
    "zh-CN": "您的额度维持{from:money}不变，以下是维持不变的原因",
    en: "your limit stays at {from:money}; the reasons listed are what hold it there",
  },
  unchanged_no_reasons: {
    "zh-CN": "您的额度维持{from:money}不变",
    en: "your limit stays at {from:money}",
  },
};
