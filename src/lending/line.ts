// Credit-line commands: pure state transitions (state, command, product) → Result<outcome, rejection>.
// Each returns the next state, the balanced ledger entries and the lending events; a rejection leaves
// the state untouched.

import type { Result } from "../kernel/index.js";
import type { BusinessDate } from "../time/index.js";
import type { LendingRejection } from "./errors.js";
import type { PaymentGateway } from "./gateway.js";
import type { Product } from "./product.js";
import type {
  ChangeLimitCommand,
  CloseLineCommand,
  DrawdownCommand,
  FreezeLineCommand,
  LendingOutcome,
  LineState,
  OpenLineCommand,
  RepayCommand,
  UnfreezeLineCommand,
} from "./types.js";

type Outcome = Result<LendingOutcome, LendingRejection>;

const pending = (): never => {
  throw new Error("not implemented yet");
};

export function openLine(_command: OpenLineCommand, _product: Product): Outcome {
  return pending();
}
export function changeLimit(_state: LineState, _command: ChangeLimitCommand, _product: Product): Outcome {
  return pending();
}
export function freezeLine(_state: LineState, _command: FreezeLineCommand, _product: Product): Outcome {
  return pending();
}
export function unfreezeLine(_state: LineState, _command: UnfreezeLineCommand, _product: Product): Outcome {
  return pending();
}
export function closeLine(_state: LineState, _command: CloseLineCommand, _product: Product): Outcome {
  return pending();
}
export function drawdown(_state: LineState, _command: DrawdownCommand, _product: Product): Outcome {
  return pending();
}
export function repay(_state: LineState, _command: RepayCommand, _product: Product): Outcome {
  return pending();
}
export function endOfDay(
  _state: LineState,
  _date: BusinessDate,
  _gateway: PaymentGateway,
  _product: Product,
): Outcome {
  return pending();
}
export function endOfDayThrough(
  _state: LineState,
  _date: BusinessDate,
  _gateway: PaymentGateway,
  _product: Product,
): Outcome {
  return pending();
}
