// lending: products, credit lines, drawdowns, schedules, daily accrual, the repayment waterfall,
// delinquency and auto-debit — pure state transitions that emit ledger entries and lending events.

export { endOfDay, endOfDayThrough } from "./end-of-day.js";
export { type LendingErrorCode, type LendingRejection, lendingErrorCodes } from "./errors.js";
export {
  type AutoDebitRequest,
  type AutoDebitResponse,
  alwaysPaysGateway,
  neverPaysGateway,
  type PaymentGateway,
  simulatedGateway,
} from "./gateway.js";
export {
  changeLimit,
  closeLine,
  drawdown,
  freezeLine,
  openLine,
  overdueFreezeReason,
  unfreezeLine,
} from "./line.js";
export { defaultProduct, type Product, repaymentMethods } from "./product.js";
export {
  availableMinor,
  drawdownOwedMinor,
  dueMinor,
  type InstalmentStatus,
  type InstalmentView,
  instalmentOwedMinor,
  instalmentView,
  type LineView,
  lineView,
  owedMinor,
  scheduleView,
} from "./queries.js";
export { repay } from "./repayment.js";
export {
  buildSchedule,
  dailyRateMaxPpm,
  daysPerYear,
  dueDates,
  levelPaymentMinor,
  periodInterestMinor,
  type ScheduleInput,
  type ScheduleInputRejection,
  schedulePrincipalMaxMinor,
  termMonthsMax,
  validateScheduleInput,
} from "./schedule.js";
export type {
  ChangeLimitCommand,
  CloseLineCommand,
  Delinquency,
  DrawdownCommand,
  DrawdownState,
  FreezeLineCommand,
  InstalmentState,
  LendingOutcome,
  LineState,
  LineStatus,
  OpenLineCommand,
  RepayCommand,
  ScheduleLine,
  UnfreezeLineCommand,
} from "./types.js";
